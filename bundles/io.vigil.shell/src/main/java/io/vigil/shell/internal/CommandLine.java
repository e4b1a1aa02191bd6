package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Filter;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The process's main thread once the framework is up: bnd's launcher runs this {@code
 * main.thread} service and exits with its result. It finds the {@link Command} named by the
 * first argument and runs it with the rest.
 */
@Component(service = Callable.class, property = "main.thread=true")
public class CommandLine implements Callable<Integer> {
  /** Commands register as their bundles start; most are there at once. */
  private static final long COMMAND_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(2);

  private final BundleContext context;
  private final List<String> arguments;
  private volatile Thread runner;

  @Activate
  public CommandLine(
      BundleContext context,
      @Reference(target = "(launcher.arguments=*)", service = Object.class) Map<String, Object> launcher) {
    this.context = context;
    this.arguments = List.of((String[]) launcher.get("launcher.arguments"));
  }

  @Deactivate
  void deactivate() {
    // Framework shutdown (Ctrl-C): ask the running command to stop.
    Thread thread = runner;
    if (thread != null) {
      thread.interrupt();
    }
  }

  @Override
  public Integer call() {
    runner = Thread.currentThread();
    try {
      return dispatch(arguments, new ConsoleContext());
    } finally {
      runner = null;
    }
  }

  int dispatch(List<String> args, ConsoleContext console) {
    PrintStream err = console.err();
    if (args.isEmpty() || List.of("-h", "--help", "help").contains(args.get(0))) {
      return HelpPrinter.print(context, args.size() > 1 ? args.get(1) : null, console.out(), err);
    }
    String verb = args.get(0);
    ServiceTracker<Command, Command> tracker = new ServiceTracker<>(context, commandFilter(verb), null);
    tracker.open();
    try {
      Command command = tracker.waitForService(COMMAND_WAIT_MILLIS);
      if (command == null) {
        // A slow bundle may still be starting: wait until the set of commands stops changing.
        HelpPrinter.settledCommands(context);
        command = tracker.getService();
      }
      if (command == null) {
        err.println("vigil: unknown command '" + verb + "'. Run ./vigil --help for the list.");
        return 2;
      }
      List<String> rest = args.subList(1, args.size());
      if (rest.contains("--help") || rest.contains("-h")) {
        console.out().println(command.usage());
        return 0;
      }
      return command.run(rest, console);
    } catch (InterruptedException e) {
      err.println("vigil: " + verb + " interrupted");
      return 130;
    } catch (Exception e) {
      err.println("vigil " + verb + ": " + describe(e));
      return 1;
    } finally {
      tracker.close();
    }
  }

  private Filter commandFilter(String verb) {
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

  static String describe(Throwable e) {
    StringBuilder message = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getName());
    for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append(": ").append(cause.getMessage());
      }
    }
    return message.toString();
  }

  /** Standard streams of the process. */
  static final class ConsoleContext implements io.vigil.api.command.CommandContext {
    @Override
    public PrintStream out() {
      return System.out;
    }

    @Override
    public PrintStream err() {
      return System.err;
    }

    @Override
    public InputStream in() {
      return System.in;
    }

    @Override
    public Path workingDirectory() {
      return Path.of(System.getProperty("user.dir")).toAbsolutePath();
    }

    @Override
    public boolean interactive() {
      return System.console() != null;
    }
  }

  @Override
  public String toString() {
    return "vigil " + Arrays.toString(arguments.toArray());
  }
}
