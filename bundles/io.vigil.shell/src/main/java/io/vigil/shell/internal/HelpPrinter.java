package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import java.io.PrintStream;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** {@code ./vigil --help}: the verbs registered now, with their one-line summaries. */
final class HelpPrinter {
  /** Commands appear as bundles start; the list is read once it has been still this long. */
  private static final long SETTLE_MILLIS = 300;
  private static final long MAX_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(5);

  private HelpPrinter() {}

  static int print(BundleContext context, String verb, PrintStream out, PrintStream err) {
    List<ServiceReference<Command>> commands = settledCommands(context);
    if (verb != null) {
      for (ServiceReference<Command> reference : commands) {
        if (verb.equals(reference.getProperty(Command.NAME_PROPERTY))) {
          Command command = context.getService(reference);
          try {
            out.println(command.usage());
          } finally {
            context.ungetService(reference);
          }
          return 0;
        }
      }
      err.println("vigil: unknown command '" + verb + "'");
      return 2;
    }
    out.println("Vigil: industrial visual anomaly detection station");
    out.println();
    out.println("Usage: ./vigil COMMAND [ARGS...]      ./vigil COMMAND --help for details");
    out.println();
    out.println("Commands:");
    int width = commands.stream().mapToInt(r -> name(r).length()).max().orElse(8);
    for (ServiceReference<Command> reference : commands) {
      Object summary = reference.getProperty(Command.SUMMARY_PROPERTY);
      out.printf("  %-" + width + "s  %s%n", name(reference), summary == null ? "" : summary);
    }
    return 0;
  }

  /** The registered commands, once no new one has appeared for a moment. */
  static List<ServiceReference<Command>> settledCommands(BundleContext context) {
    long deadline = System.currentTimeMillis() + MAX_WAIT_MILLIS;
    List<ServiceReference<Command>> previous = List.of();
    try {
      while (true) {
        List<ServiceReference<Command>> current = commands(context);
        if (current.equals(previous) || System.currentTimeMillis() > deadline) {
          return current;
        }
        previous = current;
        Thread.sleep(SETTLE_MILLIS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return previous;
    }
  }

  private static List<ServiceReference<Command>> commands(BundleContext context) {
    try {
      Collection<ServiceReference<Command>> references = context.getServiceReferences(Command.class, null);
      return references.stream()
          .filter(r -> r.getProperty(Command.NAME_PROPERTY) != null)
          .sorted(Comparator.comparing(HelpPrinter::name))
          .toList();
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String name(ServiceReference<?> reference) {
    return Objects.toString(reference.getProperty(Command.NAME_PROPERTY));
  }
}
