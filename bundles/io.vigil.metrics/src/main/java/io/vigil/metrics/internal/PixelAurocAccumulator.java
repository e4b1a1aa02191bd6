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
 * Pixel AUROC: every pixel of every frame, positive where its mask marks a defect. Every pixel
 * goes into one {@link ScoreHistogram} per defect type (the good frames' into one of their own).
 * While the pixels fit under the exact limit their scores are also kept and sorted for the exact
 * value; past it the kept scores are dropped and the value comes from all histograms merged, with
 * its error bound.
 *
 * <p>Per defect type ({@code defect.crack}): the pixel AUROC of the good frames and that type's
 * frames alone (their two histograms merged), so a type whose regions are found badly shows beside
 * the one overall figure; its error bound is {@code defect.crack.error_bound}.
 */
final class PixelAurocAccumulator implements Metric.Accumulator {
  private final long exactLimit;
  /** The kept scores while exact; null once streamed. */
  private GrowingArrays.Floats negatives = new GrowingArrays.Floats();
  private GrowingArrays.Floats positives = new GrowingArrays.Floats();
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
    if (negatives != null && pixels + values.length > exactLimit) {
      negatives = null; // the histograms hold every pixel already
      positives = null;
    }
    GroundTruth truth = frame.truth();
    ScoreHistogram ofType = truth.anomalous()
        ? byDefectType.computeIfAbsent(truth.defectType(), type -> new ScoreHistogram())
        : goodFrames;
    for (int i = 0; i < values.length; i++) {
      boolean defect = mask.isDefect(i);
      ofType.add(values[i], defect ? 0 : 1, defect ? 1 : 0);
      if (negatives == null) {
        continue;
      }
      if (defect) {
        positives.add(values[i]);
      } else {
        negatives.add(values[i]);
      }
    }
    pixels += values.length;
    defectPixels += mask.defectPixelCount();
  }

  @Override
  public MetricResult result() {
    Map<String, Double> details = new HashMap<>();
    details.put("pixels", (double) pixels);
    details.put("defect_pixels", (double) defectPixels);
    details.put("frames_without_mask", (double) framesWithoutMask);
    boolean exact = negatives != null;
    details.put(StandardMetrics.EXACT, exact ? 1.0 : 0.0);
    ScoreDistribution distribution;
    if (exact) {
      distribution = ScoreDistribution.ofSorted(negatives.sorted(), negatives.size(), positives.sorted(), positives.size());
    } else {
      ScoreHistogram all = new ScoreHistogram();
      all.addAll(goodFrames);
      byDefectType.values().forEach(all::addAll);
      distribution = all.distribution();
    }
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
