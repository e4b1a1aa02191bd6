package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The teacher's features standardised per channel with the mean and standard deviation of the
 * training images' features, as the paper does: every channel then weighs alike in the losses
 * and maps, however the backbone scaled it.
 */
record TeacherNormalization(float[] mean, float[] std) {
  /** Channels whose features hardly vary would blow up: their deviation is floored. */
  static final float MIN_STD = 1e-6f;

  /** Measured on features (N, C, h, w). */
  static TeacherNormalization of(NDArray features) {
    NDArray mean = features.mean(new int[] {0, 2, 3});
    NDArray std = features.sub(mean.reshape(1, -1, 1, 1)).square().mean(new int[] {0, 2, 3}).sqrt();
    float[] s = std.toFloatArray();
    for (int i = 0; i < s.length; i++) {
      s[i] = Math.max(s[i], MIN_STD);
    }
    return new TeacherNormalization(mean.toFloatArray(), s);
  }

  /** (features - mean) / std per channel, on the features' manager. */
  NDArray apply(NDArray features) {
    NDManager manager = features.getManager();
    NDArray m = manager.create(mean).reshape(1, -1, 1, 1);
    NDArray s = manager.create(std).reshape(1, -1, 1, 1);
    return features.sub(m).div(s);
  }
}
