package io.vigil.ui.swt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.ui.swt.internal.UiCommand.Arguments;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class UiCommandArgumentsTest {

  @Test
  void defaultsOpenAnInteractiveWindow() {
    Arguments arguments = Arguments.parse(List.of());
    assertNull(arguments.view());
    assertNull(arguments.screenshot());
  }

  @Test
  void screenshotAfterResults() {
    Arguments arguments = Arguments.parse(List.of("--screenshot", "out.png", "--after", "12", "--view", "live",
        "--timeout", "60"));
    assertEquals(Path.of("out.png"), arguments.screenshot());
    assertEquals(12, arguments.after());
    assertEquals("live", arguments.view());
    assertEquals(Duration.ofSeconds(60), arguments.timeout());
  }

  @Test
  void badArgumentsSayWhatIsWrong() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.parse(List.of("--after", "x")))
        .getMessage().contains("whole number"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.parse(List.of("--after", "3")))
        .getMessage().contains("--screenshot"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.parse(List.of("--screenshot")))
        .getMessage().contains("needs a value"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> Arguments.parse(List.of("--fast")))
        .getMessage().contains("'--fast'"));
  }
}
