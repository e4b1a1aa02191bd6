package io.vigil.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Calibration;
import io.vigil.api.evaluation.EvaluationRun;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConsoleProgressTest {
  private final EvaluationRun run = new EvaluationRun("m", "fake", Calibration.identity(1), "mvtec", Path.of("/m"),
      Path.of("/d"), "test");

  @Test
  void barShowsShareRateAndTimeLeft() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    long[] now = {0};
    ConsoleProgress progress = new ConsoleProgress(new PrintStream(buffer, true, StandardCharsets.UTF_8), true, () -> now[0]);
    progress.started(run, 40);
    progress.progress(0, 40, "first");
    now[0] = 5_000_000_000L; // 10 of 40 images in 5 s: 2 images/s, 30 left take 15 s
    progress.progress(10, 40, "tenth");
    String[] redrawn = buffer.toString(StandardCharsets.UTF_8).split("\r");
    assertEquals("evaluating     [#######.......................] 10/40  25%  2.0 images/s  0:05 ETA 0:15",
        redrawn[redrawn.length - 1].stripTrailing());
  }

  @Test
  void withoutATerminalItPrintsOneLinePerTenth() {
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    long[] now = {0};
    ConsoleProgress progress = new ConsoleProgress(new PrintStream(buffer, true, StandardCharsets.UTF_8), false, () -> now[0]);
    progress.started(run, 200);
    for (int done = 1; done <= 200; done++) {
      now[0] += 10_000_000L;
      progress.progress(done, 200, "image-" + done);
    }
    String[] lines = buffer.toString(StandardCharsets.UTF_8).split("\n");
    assertEquals(1 + 11, lines.length, "a header, then 0%, 10%, ... 100%");
    assertTrue(lines[11].contains("200/200 100%"), lines[11]);
    assertTrue(!buffer.toString(StandardCharsets.UTF_8).contains("\r"));
  }
}
