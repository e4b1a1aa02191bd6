package io.vigil.metrics.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Mask;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import java.util.List;

/** Builds scored frames for the tests. */
final class Frames {
  private Frames() {}

  static ScoredFrame good(double score) {
    return new ScoredFrame("good-" + score, GroundTruth.good(null), score, null);
  }

  static ScoredFrame defect(String type, double score) {
    return new ScoredFrame(type + "-" + score, GroundTruth.defect(type, null), score, null);
  }

  /** A frame with a map; {@code mask} null means a good frame without mask. */
  static ScoredFrame pixels(String id, int width, int height, float[] map, boolean[] mask) {
    AnomalyMap anomalyMap = new AnomalyMap(width, height, map);
    GroundTruth truth;
    if (mask == null) {
      truth = GroundTruth.good(null);
    } else {
      Mask m = Mask.of(width, height, mask);
      truth = m.isEmpty() ? GroundTruth.good(m) : GroundTruth.defect("defect", m);
    }
    return new ScoredFrame(id, truth, anomalyMap.max(), anomalyMap);
  }

  static MetricResult compute(Metric metric, List<ScoredFrame> frames) {
    return metric.compute(frames);
  }

  static MetricResult compute(Metric.Accumulator accumulator, List<ScoredFrame> frames) {
    frames.forEach(accumulator::add);
    return accumulator.result();
  }
}
