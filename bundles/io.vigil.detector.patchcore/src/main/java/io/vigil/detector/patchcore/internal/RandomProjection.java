package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Johnson-Lindenstrauss random projection: rows times a (D x d) matrix of N(0, 1/d) entries keep
 * their pairwise distances approximately. The matrix comes from java.util.Random with the
 * model's seed, so a fit is repeatable on every engine.
 */
final class RandomProjection {
  private RandomProjection() {}

  /**
   * @param rows (n, D) features
   * @return (n, dimension) projected rows, on {@code rows}' manager; {@code rows} itself when
   *     {@code dimension} is not below D (nothing to gain)
   */
  static NDArray project(NDArray rows, int dimension, long seed) {
    int features = (int) rows.getShape().get(1);
    if (dimension <= 0 || dimension >= features) {
      return rows;
    }
    Random random = new Random(seed);
    float[] matrix = new float[features * dimension];
    double scale = 1 / Math.sqrt(dimension);
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = (float) (random.nextGaussian() * scale);
    }
    NDArray projection = rows.getManager().create(matrix, new Shape(features, dimension));
    return rows.matMul(projection);
  }
}
