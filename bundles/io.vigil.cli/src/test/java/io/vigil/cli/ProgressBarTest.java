package io.vigil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
  private final long[] now = {0};

  @Test
  void lineShowsBarCountsDetailAndTimes() {
    assertEquals("epoch 2/8      [###############...............] 43/86  50%  loss 0.4200  1:05 ETA 1:05",
        ProgressBar.line("epoch 2/8", 43, 86, "loss 0.4200", Duration.ofSeconds(65), Duration.ofSeconds(65)));
    assertEquals("features       [##############################] 86/86 100%  1:01:05",
        ProgressBar.line("features", 86, 86, "", Duration.ofSeconds(3665), Duration.ZERO));
    assertEquals("scanning       17  0:02", ProgressBar.line("scanning", 17, -1, null, Duration.ofSeconds(2), null));
  }

  @Test
  void withoutATerminalItPrintsOneLinePerTenthOfEachPhase() {
    ProgressBar bar = new ProgressBar(out, false, null, () -> now[0]);
    for (String phase : new String[] {"features", "memory bank"}) {
      for (int i = 0; i <= 100; i++) {
        now[0] += 1_000_000;
        bar.update(phase, i, 100, "");
      }
    }
    String printed = printed();
    assertEquals(22, printed.lines().count(), printed);
    assertFalse(printed.contains("\r"), "no redrawing in a log");
    assertTrue(printed.lines().skip(11).findFirst().orElseThrow().startsWith("memory bank    [....."), printed);
  }

  @Test
  void atATerminalItRedrawsInPlaceAtMostTenTimesASecondAndMeasuresRateAndTimeLeft() {
    ProgressBar bar = new ProgressBar(out, true, "images", () -> now[0]);
    bar.update("evaluating", 0, 40, null);
    for (int done = 1; done <= 10; done++) {
      now[0] += 500_000_000L; // 2 images/s
      bar.update("evaluating", done, 40, null);
      now[0] += 10_000_000L;
      bar.update("evaluating", done, 40, null); // too soon: not drawn
    }
    String printed = printed();
    assertEquals(11, printed.chars().filter(c -> c == '\r').count(), printed);
    String last = printed.substring(printed.lastIndexOf('\r') + 1);
    assertTrue(last.startsWith("evaluating     [#######.......................] 10/40  25%  2.0 images/s  0:05 ETA 0:15"),
        last);
    assertFalse(printed.contains("\n"), "one line, redrawn");
    bar.finish();
    assertTrue(printed().endsWith("\n"), "finish ends the line");
  }

  @Test
  void aShorterRedrawBlanksWhatTheLongerLineLeft() {
    ProgressBar bar = new ProgressBar(out, true, null, () -> now[0]);
    bar.update("training", 1, 10, "a long detail that is wider");
    now[0] += 1_000_000_000L;
    bar.update("training", 2, 10, "short");
    String[] draws = printed().split("\r");
    assertEquals(draws[1].length(), draws[2].length(), "the second draw covers the first");
  }

  @Test
  void errorsIncludeTheirCauses() {
    Exception e = new IllegalStateException("cannot load model", new IOException("no such file: m/weights"));
    assertEquals("cannot load model: no such file: m/weights", Errors.describe(e));
    assertEquals("java.lang.NullPointerException", Errors.describe(new NullPointerException()));
  }

  private String printed() {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
