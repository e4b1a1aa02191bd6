package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import io.vigil.detector.common.calibration.HeldOutCalibration;
import java.util.Arrays;

/**
 * The paper's map normalisation: each map (student-teacher, student-autoencoder) is mapped
 * linearly so that its q_a quantile on held-out good images becomes 0 and its q_b quantile 0.1,
 * and the two are averaged. Both maps so count alike, whatever their raw scales, and a value
 * above 0.1 is rarer than 1 - q_b of good pixels in either.
 *
 * @param studentLow      q_a quantile of the student-teacher map values on good images
 * @param studentHigh     q_b quantile of the same
 * @param autoencoderLow  q_a quantile of the student-autoencoder map values on good images
 * @param autoencoderHigh q_b quantile of the same
 */
record MapNormalization(double studentLow, double studentHigh, double autoencoderLow, double autoencoderHigh) {
  /** What a q_b value becomes. */
  static final double HIGH_VALUE = 0.1;
  /** {@link #counting} names: the paper's sum of both maps, or one of them alone. */
  static final String BOTH = "both";
  static final String STUDENT_TEACHER = "student-teacher";
  static final String STUDENT_AUTOENCODER = "student-autoencoder";

  /** From every value of the two maps of held-out good images. */
  static MapNormalization of(float[] studentMaps, float[] autoencoderMaps, double low, double high) {
    double[] st = sorted(studentMaps);
    double[] ae = sorted(autoencoderMaps);
    return new MapNormalization(HeldOutCalibration.quantile(st, low), HeldOutCalibration.quantile(st, high),
        HeldOutCalibration.quantile(ae, low), HeldOutCalibration.quantile(ae, high));
  }

  /**
   * This normalisation with only {@code parts} counting in the combined map: a left-out map gets
   * weight 0 (an infinite spread), the other keeps its scaling. "both" is the paper's map.
   */
  MapNormalization counting(String parts) {
    return switch (parts) {
      case BOTH -> this;
      case STUDENT_TEACHER -> new MapNormalization(studentLow, studentHigh, 0, Double.POSITIVE_INFINITY);
      case STUDENT_AUTOENCODER -> new MapNormalization(0, Double.POSITIVE_INFINITY, autoencoderLow, autoencoderHigh);
      default -> throw new IllegalArgumentException("unknown map parts: " + parts);
    };
  }

  /** One combined value, as {@link #combine(NDArray, NDArray)} computes each. */
  double combine(double studentTeacher, double studentAutoencoder) {
    return 0.5 * scale(studentTeacher, studentLow, studentHigh) + 0.5 * scale(studentAutoencoder, autoencoderLow,
        autoencoderHigh);
  }

  /** The combined map of two raw maps of the same shape. */
  NDArray combine(NDArray studentTeacher, NDArray studentAutoencoder) {
    double st = 0.5 * HIGH_VALUE / spread(studentLow, studentHigh);
    double ae = 0.5 * HIGH_VALUE / spread(autoencoderLow, autoencoderHigh);
    return studentTeacher.sub((float) studentLow).mul((float) st)
        .add(studentAutoencoder.sub((float) autoencoderLow).mul((float) ae));
  }

  /**
   * The combination as one linear map: studentTeacherFactor * st + studentAutoencoderFactor * ae
   * + offset, what {@link #combine(NDArray, NDArray)} computes (a compiled graph's last layer).
   */
  record Linear(double studentTeacherFactor, double studentAutoencoderFactor, double offset) {}

  Linear linear() {
    double st = 0.5 * HIGH_VALUE / spread(studentLow, studentHigh);
    double ae = 0.5 * HIGH_VALUE / spread(autoencoderLow, autoencoderHigh);
    return new Linear(st, ae, -st * studentLow - ae * autoencoderLow);
  }

  private static double scale(double value, double low, double high) {
    return HIGH_VALUE * (value - low) / spread(low, high);
  }

  /** A map constant on good images would divide by 0: a tiny spread instead keeps its order. */
  private static double spread(double low, double high) {
    return Math.max(high - low, 1e-12);
  }

  private static double[] sorted(float[] values) {
    double[] sorted = new double[values.length];
    for (int i = 0; i < values.length; i++) {
      sorted[i] = values[i];
    }
    Arrays.sort(sorted);
    return sorted;
  }
}
