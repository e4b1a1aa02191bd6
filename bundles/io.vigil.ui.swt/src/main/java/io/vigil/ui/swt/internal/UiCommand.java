package io.vigil.ui.swt.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.ui.swt.Workbench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code ./vigil ui}: the workbench window on the command's thread (the process main thread under
 * bnd's launcher, which SWT wants on some platforms), until the operator closes it.
 */
@Component(property = Command.NAME_PROPERTY + "=ui")
public class UiCommand implements Command {
  private final Workbench workbench;

  @Activate
  public UiCommand(@Reference Workbench workbench) {
    this.workbench = workbench;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Ui(context);
  }

  @picocli.CommandLine.Command(name = "ui",
      description = {"Open the station's window: live inspection, station, training, evaluation, bundles.",
          "Opens the workbench window; its tabs are the views the installed bundles contribute."},
      footer = "Without a screen, run it under a virtual one: xvfb-run -a ./vigil ui ...")
  final class Ui implements Callable<Integer> {
    private final CommandContext context;
    @Spec CommandSpec spec;

    @Option(names = "--view", paramLabel = "ID", description = "select this view first (live, station, training, evaluation, bundles)")
    String view;
    @Option(names = "--screenshot", paramLabel = "FILE.png", description = "save a PNG of the window after N inspection results, then close")
    Path screenshot;
    @Option(names = "--after", paramLabel = "N", description = "results to wait for before the screenshot (default: ${DEFAULT-VALUE})")
    int after = 1;
    @Option(names = "--timeout", paramLabel = "SECONDS", description = "give up waiting for the results after this long (default: ${DEFAULT-VALUE})")
    int timeout = 300;

    Ui(CommandContext context) {
      this.context = context;
    }

    /** The window to open, once the options make sense together. */
    Workbench.Options options() {
      if (after < 0 || timeout < 0) {
        throw new ParameterException(spec.commandLine(), "--after and --timeout must not be negative");
      }
      if (screenshot == null && spec.commandLine().getParseResult().hasMatchedOption("--after")) {
        throw new ParameterException(spec.commandLine(), "--after needs --screenshot FILE");
      }
      return screenshot == null
          ? Workbench.Options.interactive(view)
          : Workbench.Options.screenshot(view, context.workingDirectory().resolve(screenshot), after,
              Duration.ofSeconds(timeout));
    }

    @Override
    public Integer call() throws Exception {
      Workbench.Options options = options();
      try {
        workbench.run(options);
      } catch (TimeoutException e) {
        context.err().println("vigil ui: " + e.getMessage());
        return 1;
      }
      if (options.screenshot() != null) {
        context.out().println("Screenshot saved: " + options.screenshot());
      }
      return 0;
    }
  }
}
