package io.vigil.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.Column.Overflow;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code ./vigil} as a picocli command: the contributed verbs as its subcommands, plus {@code help}
 * and {@code completion}. Built for one run, from the command objects of that run.
 */
final class VigilCommandLine {
  /** The name in usage lines, as users type it. */
  static final String NAME = "./vigil";
  /** The name the completion script completes. */
  static final String SCRIPT_NAME = "vigil";
  static final String BUILT_IN = "Built in";

  /** A contributed verb: its name, the bundle it comes from (its heading in --help), its command object. */
  record Verb(String name, String bundle, Callable<Integer> command) {}

  private final CommandLine root;
  /** Verb names by heading, in the order of --help. */
  private final Map<String, List<String>> groups = new TreeMap<>(VigilCommandLine::byBundle);

  VigilCommandLine(List<Verb> verbs, String version, PrintWriter out, PrintWriter err) {
    root = new CommandLine(new Root());
    root.getCommandSpec().version(version.split("\n"));
    root.addSubcommand("help", new CommandLine.HelpCommand());
    root.addSubcommand("completion", new Completion(this));
    conventions(root.getSubcommands().get("completion").getCommandSpec());
    for (Verb verb : verbs) {
      CommandLine command = new CommandLine(verb.command());
      conventions(command.getCommandSpec());
      root.addSubcommand(verb.name(), command);
      groups.computeIfAbsent(verb.bundle(), k -> new ArrayList<>()).add(verb.name());
    }
    groups.values().forEach(names -> names.sort(null));
    groups.put(BUILT_IN, List.of("help", "completion"));
    root.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST_HEADING, help -> "");
    root.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST, this::groupedCommands);
    // Set last: these reach the subcommands added so far.
    root.setSeparator(" ");
    root.setCaseInsensitiveEnumValuesAllowed(true);
    root.setOut(out);
    root.setErr(err);
  }

  /** Conventions every verb gets without writing them: -h/--help, options listed as declared. */
  private static void conventions(CommandSpec spec) {
    spec.usageMessage().sortOptions(false).sortSynopsis(false);
    if (!spec.optionsMap().containsKey("--help")) {
      spec.addOption(OptionSpec.builder("-h", "--help").usageHelp(true).hidden(true)
          .description("Show this help and exit.").build());
    }
  }

  CommandLine root() {
    return root;
  }

  /**
   * Parses and runs. Usage errors are answered here (status 2); what the verb throws is passed on.
   */
  @SuppressWarnings("unchecked")
  int run(List<String> arguments) throws Exception {
    String[] args = arguments.toArray(String[]::new);
    ParseResult parsed;
    try {
      parsed = root.parseArgs(args);
    } catch (ParameterException e) {
      return usageError(e, args);
    }
    try {
      Integer help = CommandLine.executeHelpRequest(parsed);
      if (help != null) {
        return help;
      }
      ParseResult leaf = parsed;
      while (leaf.hasSubcommand()) {
        leaf = leaf.subcommand();
      }
      return ((Callable<Integer>) leaf.commandSpec().userObject()).call();
    } catch (ParameterException e) {
      return usageError(e, args); // options that are wrong together, found by the command itself
    } finally {
      root.getOut().flush();
      root.getErr().flush();
    }
  }

  private int usageError(ParameterException e, String[] args) {
    CommandLine where = e.getCommandLine();
    PrintWriter err = where.getErr();
    boolean unknownVerb = where == root && e instanceof UnmatchedArgumentException && args.length > 0
        && !args[0].startsWith("-");
    if (unknownVerb) {
      err.println("vigil: unknown command '" + args[0] + "'.");
    } else {
      err.println((where == root ? "vigil" : "vigil " + where.getCommandName()) + ": " + e.getMessage());
    }
    if (e instanceof UnmatchedArgumentException unmatched) {
      List<String> suggestions = suggestions(unmatched);
      if (!suggestions.isEmpty()) {
        err.println("Did you mean " + String.join(" or ", suggestions.stream().map(s -> "'" + s + "'").toList()) + "?");
      }
    }
    if (unknownVerb) {
      err.println("Run ./vigil --help for the list.");
    } else {
      where.usage(err);
    }
    err.flush();
    return 2;
  }

  /**
   * What the user may have meant. picocli suggests options only by their first two letters
   * ("--cuont" finds nothing), so options are matched here by edit distance, transpositions
   * counting as one edit; verbs keep picocli's similarity ranking.
   */
  static List<String> suggestions(UnmatchedArgumentException e) {
    List<String> unmatched = e.getUnmatched();
    String argument = unmatched.isEmpty() ? "" : unmatched.get(0).split("=", 2)[0];
    if (!argument.startsWith("-")) {
      return e.getSuggestions();
    }
    List<String> names = e.getCommandLine().getCommandSpec().options().stream().filter(option -> !option.hidden())
        .flatMap(option -> Arrays.stream(option.names())).toList();
    int best = names.stream().mapToInt(name -> distance(argument, name)).min().orElse(Integer.MAX_VALUE);
    if (best > Math.max(2, argument.length() / 4)) {
      return e.getSuggestions();
    }
    return names.stream().filter(name -> distance(argument, name) == best).toList();
  }

  /** Edits (insert, delete, replace, swap two neighbours) that turn {@code a} into {@code b}. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      for (int j = 0; j <= b.length(); j++) {
        if (i == 0 || j == 0) {
          d[i][j] = i + j;
          continue;
        }
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }

  /** The verbs under one heading per bundle, then the built-in ones. */
  private String groupedCommands(Help help) {
    Map<String, Help> all = help.subcommands();
    int nameWidth = all.keySet().stream().mapToInt(String::length).max().orElse(0) + 2;
    int width = help.commandSpec().usageMessage().width();
    StringBuilder text = new StringBuilder();
    for (Map.Entry<String, List<String>> group : groups.entrySet()) {
      TextTable table = TextTable.forColumns(help.colorScheme(), new Column(nameWidth + 2, 2, Overflow.SPAN),
          new Column(width - nameWidth - 2, 1, Overflow.WRAP));
      for (String name : group.getValue()) {
        String[] description = all.get(name).commandSpec().usageMessage().description();
        // picocli's own help command starts its description with a line break (%n): show its first real line.
        String summary = description.length == 0 ? "" : description[0].replaceFirst("^(%n)+", "").split("%n", 2)[0];
        table.addRowValues(name, summary);
      }
      text.append(String.format("%n%s:%n", group.getKey())).append(table);
    }
    return text.toString();
  }

  /** Bundles in the order of their symbolic names (the part in brackets), built-in commands last. */
  private static int byBundle(String a, String b) {
    if (a.equals(b)) {
      return 0;
    }
    if (a.equals(BUILT_IN) || b.equals(BUILT_IN)) {
      return a.equals(BUILT_IN) ? 1 : -1;
    }
    return Comparator.comparing((String heading) -> heading.substring(Math.max(0, heading.lastIndexOf('('))))
        .thenComparing(Comparator.naturalOrder()).compare(a, b);
  }

  @Command(name = NAME, mixinStandardHelpOptions = true, synopsisSubcommandLabel = "COMMAND",
      description = "Vigil: industrial visual anomaly detection station. The commands come from the installed "
          + "bundles; a bundle dropped into deploy/ adds its own.",
      footer = {"", "./vigil help COMMAND or ./vigil COMMAND --help shows a command's options.",
          "Completion for bash and zsh: source <(./vigil completion)"})
  static final class Root implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().usage(spec.commandLine().getOut());
      return 0;
    }
  }

  @Command(name = "completion",
      description = "Print a bash/zsh completion script for ./vigil: source <(./vigil completion)",
      footer = {"", "For every shell: ./vigil completion > ~/.vigil-completion and add",
          "'source ~/.vigil-completion' to ~/.bashrc or ~/.zshrc."})
  static final class Completion implements Callable<Integer> {
    private final VigilCommandLine vigil;
    @Spec CommandSpec spec;

    Completion(VigilCommandLine vigil) {
      this.vigil = vigil;
    }

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(AutoComplete.bash(SCRIPT_NAME, vigil.root()));
      return 0;
    }
  }
}
