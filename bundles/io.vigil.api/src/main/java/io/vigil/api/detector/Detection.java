package io.vigil.api.detector;

import java.util.Objects;

/**
 * What a detector says about one image.
 *
 * @param map             per-pixel anomaly scores at the image's size
 * @param rawScore        the image score as the model computes it (for SimpleNet, the map maximum)
 * @param normalizedScore the raw score under the model's {@link Calibration}
 * @param decision        OK or NOK under the model's threshold
 */
public record Detection(AnomalyMap map, double rawScore, double normalizedScore, Decision decision) {
  public Detection {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(decision, "decision");
  }
}
