package io.vigil.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class OptionsAndProgressTest {

  @Test
  void optionsTakeValuesFlagsAndPositionals() {
    Options options = Options.parse(List.of("--data", "tiles", "a.png", "--set", "x=1", "--set", "y=2", "--quick", "b.png"),
        Set.of("data", "set"), Set.of("quick"));
    assertEquals(Path.of("/work/tiles"), options.path("data", Path.of("/work")));
    assertEquals(List.of("x=1", "y=2"), options.all("set"));
    assertTrue(options.has("quick"));
    assertEquals(List.of("a.png", "b.png"), options.positional());
  }

  @Test
  void badOptionsSayWhat() {
    assertEquals("unknown option --epoch",
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--epoch", "3"), Set.of("epochs"), Set.of()))
            .getMessage());
    assertEquals("--data needs a value",
        assertThrows(IllegalArgumentException.class, () -> Options.parse(List.of("--data"), Set.of("data"), Set.of()))
            .getMessage());
    Options options = Options.parse(List.of("--epochs", "many"), Set.of("epochs"), Set.of());
    assertThrows(IllegalArgumentException.class, () -> options.integer("epochs", 1));
  }

  @Test
  void progressLineShowsBarCountsDetailAndTimes() {
    assertEquals("epoch 2/8      [###############...............]  50% 43/86  loss 0.4200  1:05 ETA 1:05",
        ConsoleProgress.line("epoch 2/8", 43, 86, 50, "loss 0.4200", Duration.ofSeconds(65), Duration.ofSeconds(65)));
  }

  @Test
  void withoutATerminalProgressIsPrintedEveryTenPercent() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    ConsoleProgress progress = new ConsoleProgress(new PrintStream(bytes, true, StandardCharsets.UTF_8), false);
    for (int i = 0; i <= 100; i++) {
      progress.update("features", i, 100, "", null, null);
    }
    long lines = bytes.toString(StandardCharsets.UTF_8).lines().count();
    assertEquals(11, lines, bytes.toString(StandardCharsets.UTF_8));
  }
}
