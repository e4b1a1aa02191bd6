package io.vigil.shell.internal;

import io.vigil.api.command.CommandContext;
import io.vigil.api.command.CommandDispatcher;
import io.vigil.cli.Errors;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

/**
 * The process's main thread once the framework is up: bnd's launcher runs this {@code
 * main.thread} service and exits with its result, the command line's status for the launcher's
 * arguments. Here, not in io.vigil.cli, because it needs the launcher: frameworks without one
 * (the integration tests) still get the command line as a service.
 */
@Component(service = Callable.class, property = "main.thread=true")
public class MainThread implements Callable<Integer> {
  private final CommandDispatcher dispatcher;
  private final List<String> arguments;
  private volatile Thread runner;

  @Activate
  public MainThread(@Reference CommandDispatcher dispatcher,
      @Reference(target = "(launcher.arguments=*)", service = Object.class) Map<String, Object> launcher) {
    this.dispatcher = dispatcher;
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
    String verb = arguments.isEmpty() ? "" : " " + arguments.get(0);
    try {
      return dispatcher.run(arguments, new Console());
    } catch (InterruptedException e) {
      System.err.println("vigil" + verb + ": interrupted");
      return 130;
    } catch (Exception e) {
      System.err.println("vigil" + verb + ": " + Errors.describe(e));
      return 1;
    } finally {
      runner = null;
    }
  }

  /** Standard streams of the process. */
  static final class Console implements CommandContext {
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
}
