package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.Random;

/**
 * Johnson-Lindenstrauss random projection: rows times a (D x d) matrix of N(0, 1/d) entries keep
 * their pairwise distances approximately. The matrix comes from java.util.Random with the
 * model's seed, so a fit is repeatable on every engine, and every batch of a fit is projected by
 * the same matrix.
 */
final class RandomProjection {
  private RandomProjection() {}

  /** Whether projecting {@code features} values to {@code dimension} gains anything. */
  static boolean reduces(int features, int dimension) {
    return dimension > 0 && dimension < features;
  }

  /** The (features x dimension) matrix, row-major. */
  static float[] matrix(int features, int dimension, long seed) {
    Random random = new Random(seed);
    float[] matrix = new float[features * dimension];
    double scale = 1 / Math.sqrt(dimension);
    for (int i = 0; i < matrix.length; i++) {
      matrix[i] = (float) (random.nextGaussian() * scale);
    }
    return matrix;
  }

  /**
   * @param rows (n, D) features
   * @return (n, dimension) projected rows, on {@code rows}' manager; {@code rows} itself when
   *     {@code dimension} is not below D (nothing to gain)
   */
  static NDArray project(NDArray rows, int dimension, long seed) {
    int features = (int) rows.getShape().get(1);
    if (!reduces(features, dimension)) {
      return rows;
    }
    NDArray projection = rows.getManager().create(matrix(features, dimension, seed), new Shape(features, dimension));
    NDArray projected = rows.matMul(projection);
    projection.close();
    return projected;
  }
}
