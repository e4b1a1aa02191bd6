package io.vigil.detector.common.calibration;

import io.vigil.api.detector.Calibration;
import java.util.Arrays;
import java.util.List;

/**
 * Calibration from the scores of held-out good images, never trained on: normalisation centred
 * on their median with their standard deviation as unit; the threshold is their
 * {@code quantile} (linear interpolation).
 */
public final class HeldOutCalibration {
  private HeldOutCalibration() {}

  public static Calibration calibrate(List<Double> scores, double quantile) {
    if (scores.isEmpty()) {
      throw new IllegalArgumentException("calibration needs at least one held-out score");
    }
    double[] sorted = scores.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    double median = quantile(sorted, 0.5);
    double mean = Arrays.stream(sorted).average().orElse(0);
    double variance = Arrays.stream(sorted).map(s -> (s - mean) * (s - mean)).sum() / Math.max(1, sorted.length - 1);
    double scale = Math.max(Math.sqrt(variance), 1e-6 * Math.max(1, Math.abs(median)));
    return new Calibration(median, scale, quantile(sorted, quantile));
  }

  /** The {@code q} quantile of sorted values, linearly interpolated (numpy's default). */
  public static double quantile(double[] sorted, double q) {
    if (sorted.length == 1) {
      return sorted[0];
    }
    double position = q * (sorted.length - 1);
    int below = (int) Math.floor(position);
    int above = Math.min(below + 1, sorted.length - 1);
    return sorted[below] + (position - below) * (sorted[above] - sorted[below]);
  }
}
