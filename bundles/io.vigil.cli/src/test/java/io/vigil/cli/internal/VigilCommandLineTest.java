package io.vigil.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** ./vigil on picocli with two bundles' worth of small commands. */
class VigilCommandLineTest {
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();
  private final List<String> ran = new ArrayList<>();

  @Command(name = "train", description = {"Train a detector on good images.", "Longer text."})
  final class Train implements Callable<Integer> {
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the good images") Path data;
    @Option(names = "--epochs", paramLabel = "N", description = "training epochs") int epochs = 4;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "any other parameter") Map<String, String> set;

    @Override
    public Integer call() {
      ran.add("train " + data + " " + epochs + " " + set);
      return 0;
    }
  }

  @Command(name = "station", description = "Run the station headless.")
  final class Station implements Callable<Integer> {
    @Option(names = "--count", paramLabel = "N", description = "stop after N results") long count;
    @Option(names = "--after", paramLabel = "N", description = "needs --count") Integer after;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws IOException {
      if (after != null && count == 0) {
        throw new ParameterException(spec.commandLine(), "--after needs --count");
      }
      throw new IOException("no source configured");
    }
  }

  @Command(name = "dataset", description = "Show a data set's format and counts.")
  final class Dataset implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "PATH", description = "a data set") Path path;

    @Override
    public Integer call() {
      ran.add("dataset " + path);
      return 0;
    }
  }

  private VigilCommandLine vigil() {
    return new VigilCommandLine(List.of(
        new VigilCommandLine.Verb("train", "Vigil shell (io.vigil.shell)", new Train()),
        new VigilCommandLine.Verb("station", "Vigil shell (io.vigil.shell)", new Station()),
        new VigilCommandLine.Verb("dataset", "Vigil MVTec AD data sets (io.vigil.source.mvtec)", new Dataset())),
        "Vigil 1.2.3\nJava 17", new PrintWriter(out, true), new PrintWriter(err, true));
  }

  private int run(String... arguments) throws Exception {
    return vigil().run(List.of(arguments));
  }

  @Test
  void aVerbRunsWithItsOptions() throws Exception {
    assertEquals(0, run("train", "--data", "tiles", "--epochs", "2", "--set", "noise.std=0.02", "--set", "k=3"));
    assertEquals(List.of("train tiles 2 {noise.std=0.02, k=3}"), ran);
    assertEquals(0, run("dataset", "../shared/datasets/magnetic_tile"));
    assertEquals("dataset ../shared/datasets/magnetic_tile", ran.get(1));
  }

  @Test
  void aMistypedCommandIsNamedAndTheRightOneSuggested() throws Exception {
    assertEquals(2, run("trian", "--data", "tiles"));
    assertTrue(err.toString().contains("vigil: unknown command 'trian'."), err.toString());
    assertTrue(err.toString().contains("Did you mean 'train'?"), err.toString());
    assertTrue(ran.isEmpty());
  }

  @Test
  void aMistypedOptionIsNamedAndTheRightOneSuggestedWithTheUsage() throws Exception {
    assertEquals(2, run("train", "--data", "tiles", "--epoch", "3"));
    String errors = err.toString();
    assertTrue(errors.startsWith("vigil train: Unknown options: '--epoch', '3'"), errors);
    assertTrue(errors.contains("Did you mean '--epochs'?"), errors);
    assertTrue(errors.contains("Usage: ./vigil train --data DIR [--epochs N] [--set KEY=VALUE]..."), errors);
    assertTrue(ran.isEmpty());
  }

  @Test
  void optionsAreSuggestedByEditDistanceNotOnlyByTheirFirstLetters() throws Exception {
    assertEquals(2, run("station", "--cuont", "3"));
    assertTrue(err.toString().contains("Did you mean '--count'?"), err.toString());
    assertEquals(1, VigilCommandLine.distance("--cuont", "--count"), "a swap is one edit");
    assertEquals(1, VigilCommandLine.distance("--epoch", "--epochs"));
    err.getBuffer().setLength(0);
    assertEquals(2, run("station", "--zzzzzz"));
    assertTrue(!err.toString().contains("Did you mean"), "nothing close, nothing suggested: " + err);
  }

  @Test
  void aMissingOptionOrOptionsWrongTogetherAreUsageErrors() throws Exception {
    assertEquals(2, run("train", "--epochs", "3"));
    assertTrue(err.toString().contains("Missing required option: '--data DIR'"), err.toString());
    assertEquals(2, run("train", "--data", "x", "--epochs", "many"));
    assertTrue(err.toString().contains("'many' is not an int"), err.toString());
    assertEquals(2, run("station", "--after", "3"));
    assertTrue(err.toString().contains("vigil station: --after needs --count"), err.toString());
  }

  @Test
  void whatACommandThrowsIsPassedOnForTheLauncherToReport() {
    IOException thrown = assertThrows(IOException.class, () -> run("station", "--count", "1"));
    assertEquals("no source configured", thrown.getMessage());
  }

  @Test
  void helpListsTheCommandsUnderTheirBundlesThenTheBuiltInOnes() throws Exception {
    assertEquals(0, run("--help"));
    String help = out.toString();
    assertTrue(help.startsWith("Usage: ./vigil [-hV] COMMAND"), help);
    int shell = help.indexOf("Vigil shell (io.vigil.shell):");
    int mvtec = help.indexOf("Vigil MVTec AD data sets (io.vigil.source.mvtec):");
    int builtIn = help.indexOf("Built in:");
    assertTrue(shell > 0 && mvtec > shell && builtIn > mvtec, "in the order of the bundles' symbolic names: " + help);
    assertTrue(line(help, "  dataset +Show a data set's format and counts\\.") > mvtec, help);
    assertTrue(line(help, "  station +Run the station headless\\.") > shell, help);
    assertTrue(line(help, "  train +Train a detector on good images\\.") > shell, help);
    assertEquals(help.indexOf("Show a data set's") - help.lastIndexOf('\n', help.indexOf("Show a data set's")),
        help.indexOf("Run the station") - help.lastIndexOf('\n', help.indexOf("Run the station")),
        "one column for every group");
    assertTrue(!help.contains("Longer text."), "one line per command: " + help);
    assertTrue(help.indexOf("  completion") > builtIn && help.indexOf("  help") > builtIn, help);
    out.getBuffer().setLength(0);
    assertEquals(0, run());
    assertEquals(help, out.toString(), "no arguments: the same help");
  }

  /** Where a line matching {@code regex} starts in {@code text}, or -1. */
  private static int line(String text, String regex) {
    var matcher = java.util.regex.Pattern.compile("(?m)^" + regex + "$").matcher(text);
    return matcher.find() ? matcher.start() : -1;
  }

  @Test
  void everyCommandHasItsHelpTwoWays() throws Exception {
    for (String verb : List.of("train", "station", "dataset", "completion")) {
      out.getBuffer().setLength(0);
      assertEquals(0, run(verb, "--help"), verb);
      String help = out.toString();
      assertTrue(help.startsWith("Usage: ./vigil " + verb), help);
      out.getBuffer().setLength(0);
      assertEquals(0, run("help", verb), verb);
      assertEquals(help, out.toString(), "help " + verb);
    }
    assertTrue(out.toString().contains("source <(./vigil completion)"), out.toString());
    assertTrue(ran.isEmpty(), "help runs nothing");
  }

  @Test
  void versionNamesVigilAndJava() throws Exception {
    assertEquals(0, run("--version"));
    assertEquals("Vigil 1.2.3\nJava 17\n", out.toString().replace(System.lineSeparator(), "\n"));
  }

  @Test
  void theCompletionScriptRegistersVigilInBashAndCompletesVerbsAndOptions(@TempDir Path temp) throws Exception {
    assertEquals(0, run("completion"));
    Path script = Files.writeString(temp.resolve("vigil-completion.bash"), out.toString());
    String listed = bash("source " + script + " && complete -p vigil");
    assertTrue(listed.matches("(?s)complete .*-F _complete_vigil.* vigil\\s*"), listed);
    // What bash offers after "./vigil tr" and after "./vigil train --ep" (compopt complains outside a real
    // completion, hence 2>/dev/null).
    String offered = bash("source " + script + " && COMP_WORDS=(./vigil tr) && COMP_CWORD=1 && COMP_LINE='./vigil tr'"
        + " && COMP_POINT=${#COMP_LINE} && _complete_vigil 2>/dev/null && echo \"${COMPREPLY[@]}\""
        + " && COMP_WORDS=(./vigil train --ep) && COMP_CWORD=2 && COMP_LINE='./vigil train --ep'"
        + " && COMP_POINT=${#COMP_LINE} && _complete_vigil 2>/dev/null && echo \"${COMPREPLY[@]}\"");
    assertEquals(List.of("train", "--epochs"), offered.lines().map(String::trim).toList(), offered);
  }

  private static String bash(String script) throws Exception {
    Process process = new ProcessBuilder("bash", "-c", script).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(60, TimeUnit.SECONDS), "bash did not finish");
    assertEquals(0, process.exitValue(), output);
    return output;
  }

  @Test
  void ldapFilterCharactersInVerbsAreEscaped() {
    assertEquals("a\\(b\\)\\*c\\\\", Dispatcher.escape("a(b)*c\\"));
  }

  @Test
  void theSameCommandObjectIsParsedIntoAndCalled() throws Exception {
    Train train = new Train();
    VigilCommandLine vigil = new VigilCommandLine(List.of(new VigilCommandLine.Verb("train", "b", train)), "v",
        new PrintWriter(out, true), new PrintWriter(err, true));
    assertSame(train, vigil.root().getSubcommands().get("train").getCommandSpec().userObject());
    assertEquals(0, vigil.run(List.of("train", "--data", "d")));
    assertEquals(Path.of("d"), train.data);
  }
}
