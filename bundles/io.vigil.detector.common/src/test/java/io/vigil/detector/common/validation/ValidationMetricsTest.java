package io.vigil.detector.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.image.Mask;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidationMetricsTest {

  /** A 2x1 map: a hot left pixel of {@code left}, a right pixel of {@code right}. */
  private static Detection detection(float left, float right, double rawScore) {
    return new Detection(new AnomalyMap(2, 1, new float[] {left, right}), rawScore, rawScore, Decision.OK);
  }

  @Test
  void detectionsAreRankedByTheDetectorsScoreAndPixelsByTheirMaps() {
    // The maps' maxima rank the defective image below the good one (0.4 < 0.9); the detector's
    // own scores rank it above (0.8 > 0.1), as an image score smoothed apart from the map can.
    List<Detection> good = List.of(detection(0.9f, 0.0f, 0.1));
    List<Detection> defective = List.of(detection(0.1f, 0.4f, 0.8));
    List<Mask> masks = List.of(Mask.of(2, 1, new boolean[] {false, true}));

    ValidationMetrics byScores = ValidationMetrics.ofDetections(good, defective, masks);
    ValidationMetrics byMaps = ValidationMetrics.of(List.of(good.get(0).map()), List.of(defective.get(0).map()), masks);

    assertEquals(1.0, byScores.imageAuroc(), 1e-12);
    assertEquals(0.0, byMaps.imageAuroc(), 1e-12);
    // Pixels: the one defect pixel (0.4) above 0.0 and 0.1, below 0.9: two of three pairs.
    assertEquals(2.0 / 3.0, byScores.pixelAuroc(), 1e-12);
    assertEquals(byMaps.pixelAuroc(), byScores.pixelAuroc(), 1e-12);
  }
}
