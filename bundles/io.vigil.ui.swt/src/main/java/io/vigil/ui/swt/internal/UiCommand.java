package io.vigil.ui.swt.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.ui.swt.Workbench;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code ./vigil ui}: the workbench window on the command's thread (the process main thread under
 * bnd's launcher, which SWT wants on some platforms), until the operator closes it.
 */
@Component(property = {
    Command.NAME_PROPERTY + "=ui",
    Command.SUMMARY_PROPERTY + "=Open the station's window: live inspection, station, training, evaluation, bundles"
})
public class UiCommand implements Command {
  private final Workbench workbench;

  @Activate
  public UiCommand(@Reference Workbench workbench) {
    this.workbench = workbench;
  }

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil ui [--view ID] [--screenshot FILE.png [--after N] [--timeout SECONDS]]",
        "Opens the workbench window; its tabs are the views the installed bundles contribute.",
        "  --view ID           select this view first (live, station, training, evaluation, bundles)",
        "  --screenshot FILE   save a PNG of the window after N inspection results, then close",
        "  --after N           results to wait for before the screenshot (default 1)",
        "  --timeout SECONDS   give up waiting for the results after this long (default 300)",
        "Without a screen, run it under a virtual one: xvfb-run -a ./vigil ui ...");
  }

  @Override
  public int run(List<String> arguments, CommandContext context) throws Exception {
    Arguments parsed;
    try {
      parsed = Arguments.parse(arguments);
    } catch (IllegalArgumentException e) {
      context.err().println("vigil ui: " + e.getMessage());
      context.err().println(usage());
      return 2;
    }
    Workbench.Options options = parsed.screenshot() == null
        ? Workbench.Options.interactive(parsed.view())
        : Workbench.Options.screenshot(parsed.view(), context.workingDirectory().resolve(parsed.screenshot()),
            parsed.after(), parsed.timeout());
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

  /** The parsed command line. */
  record Arguments(String view, Path screenshot, int after, Duration timeout) {

    static Arguments parse(List<String> arguments) {
      String view = null;
      Path screenshot = null;
      int after = 1;
      Duration timeout = Duration.ofSeconds(300);
      for (int i = 0; i < arguments.size(); i++) {
        String argument = arguments.get(i);
        switch (argument) {
          case "--view" -> view = value(arguments, ++i, argument);
          case "--screenshot" -> screenshot = Path.of(value(arguments, ++i, argument));
          case "--after" -> after = nonNegative(value(arguments, ++i, argument), argument);
          case "--timeout" -> timeout = Duration.ofSeconds(nonNegative(value(arguments, ++i, argument), argument));
          default -> throw new IllegalArgumentException("unknown argument '" + argument + "'");
        }
      }
      if (screenshot == null && arguments.contains("--after")) {
        throw new IllegalArgumentException("--after needs --screenshot FILE");
      }
      return new Arguments(view, screenshot, after, timeout);
    }

    static String value(List<String> arguments, int index, String option) {
      if (index >= arguments.size()) {
        throw new IllegalArgumentException(option + " needs a value");
      }
      return arguments.get(index);
    }

    static int nonNegative(String text, String option) {
      try {
        int value = Integer.parseInt(text);
        if (value < 0) {
          throw new IllegalArgumentException(option + " must not be negative: " + text);
        }
        return value;
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(option + " needs a whole number, not '" + text + "'");
      }
    }
  }
}
