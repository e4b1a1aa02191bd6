package io.vigil.cli.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.command.CommandDispatcher;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.util.tracker.ServiceTracker;
import picocli.CommandLine;

/**
 * Runs {@code ./vigil ARGS} against the {@link Command}s in the service registry: a verb named
 * first is waited for briefly; help, completion and unknown verbs take every command once the
 * set has stopped changing (bundles register theirs as they start).
 */
@Component
public class Dispatcher implements CommandDispatcher {
  /** Commands register as their bundles start; most are there at once. */
  private static final long COMMAND_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(2);
  /** The list of commands is read once it has been still this long. */
  private static final long SETTLE_MILLIS = 300;
  private static final long MAX_SETTLE_MILLIS = TimeUnit.SECONDS.toMillis(5);
  private static final Set<String> BUILT_INS = Set.of("help", "completion");

  private final BundleContext context;

  @Activate
  public Dispatcher(BundleContext context) {
    this.context = context;
  }

  @Override
  public int run(List<String> arguments, CommandContext console) throws Exception {
    List<ServiceReference<Command>> references = null;
    String first = arguments.isEmpty() ? null : arguments.get(0);
    if (first != null && !first.startsWith("-") && !BUILT_INS.contains(first)) {
      ServiceReference<Command> named = waitFor(first);
      references = named == null ? null : List.of(named);
    }
    if (references == null) {
      references = settledCommands();
    }
    List<ServiceReference<Command>> taken = new ArrayList<>();
    try {
      List<VigilCommandLine.Verb> verbs = new ArrayList<>();
      for (ServiceReference<Command> reference : references) {
        Command command = context.getService(reference);
        if (command != null) {
          taken.add(reference);
          verbs.add(new VigilCommandLine.Verb(name(reference), heading(reference.getBundle()),
              command.newCommand(console)));
        }
      }
      VigilCommandLine vigil = new VigilCommandLine(verbs, version(), new PrintWriter(console.out(), true),
          new PrintWriter(console.err(), true));
      return vigil.run(arguments);
    } finally {
      taken.forEach(context::ungetService);
    }
  }

  private ServiceReference<Command> waitFor(String verb) throws InterruptedException {
    ServiceTracker<Command, Command> tracker = new ServiceTracker<>(context, filter(verb), null);
    tracker.open();
    try {
      tracker.waitForService(COMMAND_WAIT_MILLIS);
      return tracker.getServiceReference();
    } finally {
      tracker.close();
    }
  }

  /** The registered commands, once no new one has appeared for a moment. */
  private List<ServiceReference<Command>> settledCommands() throws InterruptedException {
    long deadline = System.currentTimeMillis() + MAX_SETTLE_MILLIS;
    List<ServiceReference<Command>> previous = List.of();
    while (true) {
      List<ServiceReference<Command>> current = commands();
      if (current.equals(previous) || System.currentTimeMillis() > deadline) {
        return current;
      }
      previous = current;
      Thread.sleep(SETTLE_MILLIS);
    }
  }

  private List<ServiceReference<Command>> commands() {
    try {
      Collection<ServiceReference<Command>> references = context.getServiceReferences(Command.class, null);
      return references.stream().filter(r -> r.getProperty(Command.NAME_PROPERTY) != null)
          .sorted(Comparator.comparing(Dispatcher::name)).toList();
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private Filter filter(String verb) {
    try {
      return FrameworkUtil.createFilter("(&(" + Constants.OBJECTCLASS + "=" + Command.class.getName() + ")("
          + Command.NAME_PROPERTY + "=" + escape(verb) + "))");
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException("bad command name: " + verb, e);
    }
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '(' || c == ')' || c == '*') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  private static String name(ServiceReference<?> reference) {
    return Objects.toString(reference.getProperty(Command.NAME_PROPERTY));
  }

  /** "Vigil shell (io.vigil.shell)": the heading of a bundle's commands in --help. */
  static String heading(Bundle bundle) {
    String name = bundle.getHeaders().get(Constants.BUNDLE_NAME);
    return name == null || name.equals(bundle.getSymbolicName()) ? bundle.getSymbolicName()
        : name + " (" + bundle.getSymbolicName() + ")";
  }

  private String version() {
    return "Vigil " + context.getBundle().getVersion() + "\nJava " + Runtime.version() + ", picocli "
        + CommandLine.VERSION;
  }
}
