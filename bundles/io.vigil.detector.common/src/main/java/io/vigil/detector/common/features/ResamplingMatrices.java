package io.vigil.detector.common.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Linear resampling along one axis as a matrix, so that resizing and smoothing (N, C, H, W) maps
 * are two engine matrix products: {@code A_h . X . A_w^T}. Each matrix reproduces a reference
 * exactly: PyTorch's bilinear interpolation (align_corners=False) and SciPy's gaussian_filter
 * (mode 'reflect', truncate 4), as SimpleNet's reference code uses them.
 */
public final class ResamplingMatrices {
  private ResamplingMatrices() {}

  /** (out x in) weights of PyTorch's linear interpolation with align_corners=False. */
  public static float[][] bilinear(int in, int out) {
    float[][] weights = new float[out][in];
    double scale = (double) in / out;
    for (int o = 0; o < out; o++) {
      double source = Math.max((o + 0.5) * scale - 0.5, 0);
      int i0 = Math.min((int) Math.floor(source), in - 1);
      int i1 = Math.min(i0 + 1, in - 1);
      double lambda = source - i0;
      weights[o][i0] += (float) (1 - lambda);
      weights[o][i1] += (float) lambda;
    }
    return weights;
  }

  /** (n x n) weights of SciPy's 1-D gaussian_filter: radius round(4 sigma), 'reflect' borders. */
  public static float[][] gaussian(int n, double sigma) {
    int radius = (int) (4.0 * sigma + 0.5);
    double[] kernel = new double[2 * radius + 1];
    double sum = 0;
    for (int k = -radius; k <= radius; k++) {
      kernel[k + radius] = Math.exp(-0.5 * k * k / (sigma * sigma));
      sum += kernel[k + radius];
    }
    float[][] weights = new float[n][n];
    for (int o = 0; o < n; o++) {
      for (int k = -radius; k <= radius; k++) {
        weights[o][reflect(o + k, n)] += (float) (kernel[k + radius] / sum);
      }
    }
    return weights;
  }

  /** SciPy 'reflect' (half-sample symmetric): d c b a | a b c d | d c b a. */
  public static int reflect(int index, int n) {
    int period = 2 * n;
    int i = Math.floorMod(index, period);
    return i < n ? i : period - 1 - i;
  }

  public static NDArray toArray(NDManager manager, float[][] matrix) {
    int rows = matrix.length;
    int columns = matrix[0].length;
    float[] flat = new float[rows * columns];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(matrix[r], 0, flat, r * columns, columns);
    }
    return manager.create(flat, new Shape(rows, columns));
  }

  /**
   * Applies row matrix {@code rows} (H' x H) and column matrix {@code columns} (W' x W) to
   * (..., H, W). The result and its intermediates belong to the maps' manager, not to the
   * (long-lived, cached) matrices'.
   */
  public static NDArray apply(NDArray maps, NDArray rows, NDArray columns) {
    NDManager scope = maps.getManager();
    NDArray left = rows.matMul(maps);
    left.attach(scope);
    NDArray columnsT = columns.transpose();
    columnsT.attach(scope);
    return left.matMul(columnsT);
  }

  /** Resizes (..., H, W) bilinearly to (..., height, width). */
  public static NDArray resizeBilinear(NDArray maps, int height, int width) {
    Shape shape = maps.getShape();
    int h = (int) shape.get(shape.dimension() - 2);
    int w = (int) shape.get(shape.dimension() - 1);
    if (h == height && w == width) {
      return maps;
    }
    NDManager manager = maps.getManager();
    return apply(maps, toArray(manager, bilinear(h, height)), toArray(manager, bilinear(w, width)));
  }

  /** The matrix product {@code a . b}; resamplings chain by multiplying their matrices. */
  public static float[][] multiply(float[][] a, float[][] b) {
    int rows = a.length;
    int inner = b.length;
    int columns = b[0].length;
    float[][] product = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < inner; k++) {
        float factor = a[r][k];
        if (factor != 0) {
          for (int c = 0; c < columns; c++) {
            product[r][c] += factor * b[k][c];
          }
        }
      }
    }
    return product;
  }
}
