package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.vigil.detector.common.calibration.HeldOutCalibration;
import java.util.Arrays;

/**
 * The paper's hard feature loss: of the squared student-teacher errors, only those at or above
 * their {@code quantile} (0.999: the hardest 0.1%) count, averaged. The student so spends its
 * capacity on what it predicts worst instead of on what it already gets right.
 */
final class HardFeatureLoss {
  private HardFeatureLoss() {}

  /**
   * The threshold: the {@code quantile} of the errors, linearly interpolated (numpy's and
   * torch.quantile's default). Read on the host: it is a constant of the step, not differentiated.
   */
  static double threshold(NDArray squaredErrors, double quantile) {
    float[] values = squaredErrors.toFloatArray();
    double[] sorted = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      sorted[i] = values[i];
    }
    Arrays.sort(sorted);
    return HeldOutCalibration.quantile(sorted, quantile);
  }

  /** The mean of the squared errors at or above their {@code quantile}; differentiable in the errors. */
  static NDArray loss(NDArray squaredErrors, double quantile) {
    double threshold = threshold(squaredErrors, quantile);
    NDArray hard = squaredErrors.gte((float) threshold).toType(DataType.FLOAT32, false);
    // At least the largest error is at or above the quantile, so the count is never 0.
    return squaredErrors.mul(hard).sum().div(hard.sum());
  }
}
