package io.vigil.ui.views.live.internal;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The range heatmaps are coloured over, steady from frame to frame so a good part looks cool and a
 * defect hot: the lowest map value of the recent results at the bottom, and the threshold at two
 * thirds of the way up, so everything above the threshold is yellow to red. Without a threshold
 * the top is the highest recent map value.
 */
final class ScoreScale {
  /** Where the threshold sits on the scale. */
  static final double THRESHOLD_POSITION = 2.0 / 3.0;
  private static final int WINDOW = 50;

  private final Deque<double[]> recent = new ArrayDeque<>();

  /** The range over {@code lo}..{@code hi}, with the threshold when known (NaN when not). */
  record Range(double lo, double hi, double threshold) {
    /** Position of {@code value} in the range, 0..1 (not clamped). */
    double position(double value) {
      return (value - lo) / (hi - lo);
    }
  }

  /** Adds one map's extremes and returns the range to colour it with. Not thread safe. */
  Range update(double mapMin, double mapMax, double threshold) {
    if (Double.isFinite(mapMin) && Double.isFinite(mapMax)) {
      recent.addLast(new double[] {mapMin, mapMax});
      if (recent.size() > WINDOW) {
        recent.removeFirst();
      }
    }
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (double[] extremes : recent) {
      lo = Math.min(lo, extremes[0]);
      hi = Math.max(hi, extremes[1]);
    }
    if (!Double.isFinite(lo)) {
      lo = 0;
      hi = 1;
    }
    if (Double.isFinite(threshold)) {
      lo = Math.min(lo, threshold);
      if (threshold > lo) {
        hi = lo + (threshold - lo) / THRESHOLD_POSITION;
      }
    }
    if (!(hi > lo)) {
      hi = lo + Math.max(1e-6, Math.abs(lo) * 1e-6);
    }
    return new Range(lo, hi, threshold);
  }
}
