package io.vigil.api.metric;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * An evaluation metric, registered with {@link #NAME_PROPERTY}. Frames are fed one by one, so a
 * metric over billions of pixels can stream instead of holding every map.
 */
@ConsumerType
public interface Metric {
  /** Service property: the metric's name ("image_auroc", "pixel_auroc", "aupro", ...). */
  String NAME_PROPERTY = "vigil.metric.name";

  String name();

  /** A fresh accumulator for one evaluation run. */
  Accumulator newAccumulator();

  /** Computes the metric over {@code frames}. */
  default MetricResult compute(Iterable<ScoredFrame> frames) {
    Accumulator accumulator = newAccumulator();
    for (ScoredFrame frame : frames) {
      accumulator.add(frame);
    }
    return accumulator.result();
  }

  /** Collects frames of one run; not thread safe. */
  interface Accumulator {
    void add(ScoredFrame frame);

    MetricResult result();
  }
}
