package io.vigil.ui.views.training.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.detector.TrainingProgress;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TrainingTextsTest {

  @Test
  void progressReadsAsPhaseStepLossAndTimes() {
    TrainingProgress progress = new TrainingProgress("epoch", 3, 8, 0.12345, Duration.ofSeconds(75), Duration.ofSeconds(9));
    assertEquals("epoch 3/8 · loss 0.1235 · 1 min 15 s elapsed · about 9 s left", TrainingPart.describe(progress));
    TrainingProgress early = new TrainingProgress("features", 0, 40, Double.NaN, Duration.ZERO, null);
    assertEquals("features 0/40 · 0 s elapsed", TrainingPart.describe(early));
  }
}
