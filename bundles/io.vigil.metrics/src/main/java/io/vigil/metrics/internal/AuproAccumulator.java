package io.vigil.metrics.internal;

import io.vigil.api.image.Mask;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.metric.StandardMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * AU-PRO as the MVTec AD evaluation script computes it. Regions are the 8-connected components
 * of the masks. At a threshold t, PRO(t) is the mean over all regions of the share of the
 * region's pixels scoring at least t, and FPR(t) the share of all defect-free pixels (of every
 * frame) scoring at least t. Since each region pixel adds 1/(region size) to the sum of shares,
 * the PRO curve is a cumulative sum of per-pixel weights, the same shape as a ROC curve with
 * weighted positives; its area from FPR 0 to {@value #FPR_LIMIT} divided by {@value #FPR_LIMIT}
 * is the value.
 */
final class AuproAccumulator implements Metric.Accumulator {
  static final double FPR_LIMIT = 0.3;

  private final long exactLimit;
  private GrowingArrays.Floats goodPixels = new GrowingArrays.Floats();
  /** Exact mode: per defect pixel, its signed sortable score (high half) and global region index (low half). */
  private GrowingArrays.Longs defectPixels = new GrowingArrays.Longs();
  private GrowingArrays.Ints regionSizes = new GrowingArrays.Ints();
  private ScoreHistogram histogram;
  private long pixels;
  private int regions;
  private int framesWithoutMask;

  AuproAccumulator(long exactLimit) {
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
    Regions found = Regions.of(mask);
    int firstRegion = regions;
    for (int i = 0; i < values.length; i++) {
      int label = found.labels[i];
      if (histogram != null) {
        if (label == 0) {
          histogram.add(values[i], 1, 0);
        } else {
          histogram.add(values[i], 0, 1.0 / found.sizes[label - 1]);
        }
      } else if (label == 0) {
        goodPixels.add(values[i]);
      } else {
        int region = firstRegion + label - 1;
        defectPixels.add((long) SortableFloats.signedKey(values[i]) << 32 | region);
      }
    }
    if (histogram == null) {
      for (int size : found.sizes) {
        regionSizes.add(size);
      }
    }
    regions += found.count();
    pixels += values.length;
  }

  private void spillIntoHistogram() {
    histogram = new ScoreHistogram();
    for (int i = 0; i < goodPixels.size(); i++) {
      histogram.add(goodPixels.get(i), 1, 0);
    }
    for (int i = 0; i < defectPixels.size(); i++) {
      long packed = defectPixels.get(i);
      histogram.add(SortableFloats.fromSignedKey((int) (packed >> 32)), 0, 1.0 / regionSizes.get((int) packed));
    }
    goodPixels = null;
    defectPixels = null;
    regionSizes = null;
  }

  /** One group per distinct score, from the highest down. */
  private ScoreDistribution exactDistribution() {
    ScoreDistribution distribution = new ScoreDistribution();
    float[] good = goodPixels.sorted();
    long[] defect = defectPixels.sorted();
    int g = goodPixels.size() - 1;
    int d = defectPixels.size() - 1;
    while (g >= 0 || d >= 0) {
      float value;
      if (d < 0) {
        value = good[g];
      } else {
        float defectValue = SortableFloats.fromSignedKey((int) (defect[d] >> 32));
        value = g < 0 ? defectValue : Math.max(good[g], defectValue);
      }
      int goodTies = 0;
      while (g >= 0 && good[g] == value) {
        goodTies++;
        g--;
      }
      double overlap = 0;
      while (d >= 0 && SortableFloats.fromSignedKey((int) (defect[d] >> 32)) == value) {
        overlap += 1.0 / regionSizes.get((int) defect[d]);
        d--;
      }
      distribution.add(value, goodTies, overlap, false);
    }
    return distribution;
  }

  @Override
  public MetricResult result() {
    Map<String, Double> details = new HashMap<>();
    details.put("pixels", (double) pixels);
    details.put("regions", (double) regions);
    details.put("frames_without_mask", (double) framesWithoutMask);
    details.put("fpr_limit", FPR_LIMIT);
    details.put(StandardMetrics.EXACT, histogram == null ? 1.0 : 0.0);
    ScoreDistribution distribution = histogram != null ? histogram.distribution() : exactDistribution();
    Curves.Area area = Curves.area(distribution, FPR_LIMIT);
    details.put(StandardMetrics.ERROR_BOUND, area.errorBound());
    double value = framesWithoutMask > 0 ? Double.NaN : area.value();
    return new MetricResult(StandardMetrics.AUPRO, value, details, List.of());
  }
}
