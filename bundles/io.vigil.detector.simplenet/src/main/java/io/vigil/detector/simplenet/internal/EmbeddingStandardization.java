package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Per-dimension standardisation of the patch embedding, {@code (x - mean) / scale}, measured on
 * the training patches and stored with the model; scoring folds it into the adaptor, so it is
 * applied identically without a pass of its own. A dimension that barely varies (ReLU6 leaves
 * many at zero) gets the floor {@link #FLOOR_SHARE} of the mean spread as its scale, so a patch
 * that wakes it is anomalous but not infinitely so.
 */
record EmbeddingStandardization(float[] mean, float[] scale) {
  /** A dimension's scale is at least this share of the mean standard deviation. */
  static final double FLOOR_SHARE = 0.1;

  EmbeddingStandardization {
    if (mean.length != scale.length) {
      throw new IllegalArgumentException(mean.length + " means for " + scale.length + " scales");
    }
    for (float s : scale) {
      if (!(s > 0) || !Float.isFinite(s)) {
        throw new IllegalArgumentException("scales must be positive and finite: " + s);
      }
    }
  }

  /** From rows (n, d): per-column mean and standard deviation with the floor. */
  static EmbeddingStandardization measure(NDArray rows) {
    double[][] moments = columnMoments(rows);
    double[] std = moments[1];
    double meanStd = 0;
    for (double v : std) {
      meanStd += v;
    }
    meanStd /= std.length;
    double floor = Math.max(FLOOR_SHARE * meanStd, 1e-6);
    float[] mean = new float[std.length];
    float[] scale = new float[std.length];
    for (int i = 0; i < std.length; i++) {
      mean[i] = (float) moments[0][i];
      scale[i] = (float) Math.max(std[i], floor);
    }
    return new EmbeddingStandardization(mean, scale);
  }

  /**
   * Per-column mean and (population) standard deviation of rows (n, d), in blocks so no
   * temporary the size of the rows is made; nothing is left on the rows' manager.
   */
  static double[][] columnMoments(NDArray rows) {
    long n = rows.getShape().get(0);
    int d = (int) rows.getShape().get(1);
    double[] sum = new double[d];
    double[] sumOfSquares = new double[d];
    for (long start = 0; start < n; start += 65536) {
      try (NDManager scope = rows.getManager().newSubManager()) {
        NDArray block = rows.get(start + ":" + Math.min(n, start + 65536));
        block.attach(scope);
        float[] s1 = block.sum(new int[] {0}).toFloatArray();
        float[] s2 = block.square().sum(new int[] {0}).toFloatArray();
        for (int i = 0; i < d; i++) {
          sum[i] += s1[i];
          sumOfSquares[i] += s2[i];
        }
      }
    }
    double[] mean = new double[d];
    double[] std = new double[d];
    for (int i = 0; i < d; i++) {
      mean[i] = sum[i] / n;
      std[i] = Math.sqrt(Math.max(0, sumOfSquares[i] / n - mean[i] * mean[i]));
    }
    return new double[][] {mean, std};
  }

  /** Mean over dimensions of the standard deviation per dimension after this standardisation. */
  double meanStandardizedStd(double[] std) {
    double total = 0;
    for (int i = 0; i < std.length; i++) {
      total += std[i] / scale[i];
    }
    return total / std.length;
  }

  int dimension() {
    return mean.length;
  }

  /** Standardised rows (..., d) on {@code x}'s manager. */
  NDArray apply(NDArray x) {
    NDManager manager = x.getManager();
    NDArray m = manager.create(mean, new Shape(mean.length));
    NDArray s = manager.create(scale, new Shape(scale.length));
    NDArray standardized = x.sub(m).divi(s);
    m.close();
    s.close();
    return standardized;
  }

  /** Standardises rows (..., d) where they are. */
  void applyInPlace(NDArray x) {
    NDManager manager = x.getManager();
    try (NDArray m = manager.create(mean, new Shape(mean.length));
        NDArray s = manager.create(scale, new Shape(scale.length))) {
      x.subi(m).divi(s);
    }
  }

  /** The same for channels-first maps (N, d, H, W). */
  NDArray applyChannelsFirst(NDArray x) {
    NDManager manager = x.getManager();
    NDArray m = manager.create(mean, new Shape(1, mean.length, 1, 1));
    NDArray s = manager.create(scale, new Shape(1, scale.length, 1, 1));
    NDArray standardized = x.sub(m).divi(s);
    m.close();
    s.close();
    return standardized;
  }
}
