package io.vigil.metrics.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Mask;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.metric.StandardMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Pixel AUROC: every pixel of every frame, positive where its mask marks a defect. Exact while
 * the pixels fit under the exact limit (every score kept and sorted); past it, the kept scores
 * move into a {@link ScoreHistogram} and the rest streams in, and the result carries its error
 * bound.
 *
 * <p>Per defect type ({@code defect.crack}): the pixel AUROC of the good frames and that type's
 * frames alone, so a type whose regions are found badly shows beside the one overall figure. Those
 * are always streamed (one histogram for the good frames' pixels, one per type, merged at the
 * end); their error bound is {@code defect.crack.error_bound}.
 */
final class PixelAurocAccumulator implements Metric.Accumulator {
  private final long exactLimit;
  private GrowingArrays.Floats negatives = new GrowingArrays.Floats();
  private GrowingArrays.Floats positives = new GrowingArrays.Floats();
  private ScoreHistogram histogram;
  private long pixels;
  private long defectPixels;
  private int framesWithoutMask;
  private final ScoreHistogram goodFrames = new ScoreHistogram();
  private final Map<String, ScoreHistogram> byDefectType = new TreeMap<>();

  PixelAurocAccumulator(long exactLimit) {
    this.exactLimit = exactLimit;
  }

  @Override
  public void add(ScoredFrame frame) {
    Mask mask = PixelInput.maskOf(frame);
    if (mask == null) {
      framesWithoutMask++;
      return;
    }
    float[] values = frame.map().values();
    for (float value : values) {
      SortableFloats.requireNumber(value, frame.id());
    }
    if (histogram == null && pixels + values.length > exactLimit) {
      spillIntoHistogram();
    }
    GroundTruth truth = frame.truth();
    ScoreHistogram ofType = truth.anomalous()
        ? byDefectType.computeIfAbsent(truth.defectType(), type -> new ScoreHistogram())
        : goodFrames;
    for (int i = 0; i < values.length; i++) {
      boolean defect = mask.isDefect(i);
      ofType.add(values[i], defect ? 0 : 1, defect ? 1 : 0);
      if (histogram != null) {
        histogram.add(values[i], defect ? 0 : 1, defect ? 1 : 0);
      } else if (defect) {
        positives.add(values[i]);
      } else {
        negatives.add(values[i]);
      }
    }
    pixels += values.length;
    defectPixels += mask.defectPixelCount();
  }

  private void spillIntoHistogram() {
    histogram = new ScoreHistogram();
    for (int i = 0; i < negatives.size(); i++) {
      histogram.add(negatives.get(i), 1, 0);
    }
    for (int i = 0; i < positives.size(); i++) {
      histogram.add(positives.get(i), 0, 1);
    }
    negatives = null;
    positives = null;
  }

  @Override
  public MetricResult result() {
    Map<String, Double> details = new HashMap<>();
    details.put("pixels", (double) pixels);
    details.put("defect_pixels", (double) defectPixels);
    details.put("frames_without_mask", (double) framesWithoutMask);
    details.put(StandardMetrics.EXACT, histogram == null ? 1.0 : 0.0);
    ScoreDistribution distribution = histogram != null
        ? histogram.distribution()
        : ScoreDistribution.ofSorted(negatives.sorted(), negatives.size(), positives.sorted(), positives.size());
    Curves.Area area = Curves.area(distribution, 1.0);
    details.put(StandardMetrics.ERROR_BOUND, area.errorBound());
    for (Map.Entry<String, ScoreHistogram> type : byDefectType.entrySet()) {
      ScoreHistogram withGood = new ScoreHistogram();
      withGood.addAll(goodFrames);
      withGood.addAll(type.getValue());
      Curves.Area typeArea = Curves.area(withGood.distribution(), 1.0);
      String key = StandardMetrics.defectKey(type.getKey());
      details.put(key, framesWithoutMask > 0 ? Double.NaN : typeArea.value());
      details.put(key + "." + StandardMetrics.ERROR_BOUND, typeArea.errorBound());
    }
    // A defective frame without pixel ground truth would silently count as all-good: no value.
    double value = framesWithoutMask > 0 ? Double.NaN : area.value();
    return new MetricResult(StandardMetrics.PIXEL_AUROC, value, details, List.of());
  }
}
