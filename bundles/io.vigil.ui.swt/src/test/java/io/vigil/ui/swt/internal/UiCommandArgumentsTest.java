package io.vigil.ui.swt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.CommandContext;
import io.vigil.ui.swt.Workbench;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.ParameterException;

/** ./vigil ui's options as picocli parses them (no window is opened). */
class UiCommandArgumentsTest {
  private static final Path WORK = Path.of("/work");

  @Test
  void defaultsOpenAnInteractiveWindow() {
    Workbench.Options options = parse();
    assertNull(options.initialView());
    assertNull(options.screenshot());
  }

  @Test
  void screenshotAfterResults() {
    Workbench.Options options = parse("--screenshot", "out.png", "--after", "12", "--view", "live", "--timeout", "60");
    assertEquals(WORK.resolve("out.png"), options.screenshot());
    assertEquals(12, options.screenshotAfterResults());
    assertEquals("live", options.initialView());
    assertEquals(Duration.ofSeconds(60), options.timeout());
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertTrue(assertThrows(ParameterException.class, () -> parse("--after", "x")).getMessage().contains("'x' is not an int"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--after", "3")).getMessage().contains("--screenshot"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--screenshot")).getMessage().contains("--screenshot"));
    assertTrue(assertThrows(ParameterException.class, () -> parse("--fast")).getMessage().contains("'--fast'"));
  }

  private static Workbench.Options parse(String... arguments) {
    UiCommand.Ui ui = (UiCommand.Ui) new UiCommand(null).newCommand(new Context());
    new CommandLine(ui).parseArgs(arguments);
    return ui.options();
  }

  private static final class Context implements CommandContext {
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
      return InputStream.nullInputStream();
    }

    @Override
    public Path workingDirectory() {
      return WORK;
    }

    @Override
    public boolean interactive() {
      return false;
    }
  }
}
