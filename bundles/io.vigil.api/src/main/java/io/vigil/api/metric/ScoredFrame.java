package io.vigil.api.metric;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.GroundTruth;
import java.util.Objects;

/**
 * A labelled frame with the detector's scores, the input of every metric.
 *
 * @param id    the frame id
 * @param truth label, defect type and (for pixel metrics) mask
 * @param score the image score
 * @param map   the anomaly map at the mask's size; null when only image metrics are computed
 */
public record ScoredFrame(String id, GroundTruth truth, double score, AnomalyMap map) {
  public ScoredFrame {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(truth, "truth");
  }
}
