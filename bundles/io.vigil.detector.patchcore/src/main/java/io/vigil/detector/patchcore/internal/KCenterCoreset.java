package io.vigil.detector.patchcore.internal;

import java.util.Arrays;

/**
 * Greedy k-center selection (Sener and Savarese; PatchCore's coreset): start from one point, then
 * repeatedly add the point farthest from everything chosen so far. The result covers the data
 * with a radius at most twice the optimal k-center radius. PatchCore runs it on a random
 * projection of the patch features ({@link RandomProjection}), which keeps the distances roughly
 * and makes each step cheaper.
 *
 * <p>One fused pass per step: distance to the newest centre, running minimum, and the next
 * farthest point. Points are rows of a row-major float array in the heap: the pass is memory
 * bound, and one pass beats the several array operations an engine would need per step.
 */
final class KCenterCoreset {
  /** Told after each chosen point; throws to cancel (the selection stops at once). */
  interface Progress {
    Progress NONE = (chosen, total) -> {};

    void chosen(int chosen, int total);
  }

  private KCenterCoreset() {}

  /**
   * @param points    n rows of {@code dimension} values, row-major
   * @param dimension values per point
   * @param count     how many points to choose (at most n)
   * @param first     the starting point (PatchCore starts from a random one)
   * @return the chosen row indices in the order chosen; fewer than {@code count} only when the
   *     remaining points all coincide with chosen ones
   */
  static int[] select(float[] points, int dimension, int count, int first, Progress progress) {
    int n = points.length / dimension;
    if (n * dimension != points.length) {
      throw new IllegalArgumentException(points.length + " values are not rows of " + dimension);
    }
    if (count < 1 || count > n) {
      throw new IllegalArgumentException("cannot choose " + count + " of " + n + " points");
    }
    if (first < 0 || first >= n) {
      throw new IllegalArgumentException("first point " + first + " is not one of " + n);
    }
    float[] nearest = new float[n];
    Arrays.fill(nearest, Float.POSITIVE_INFINITY);
    int[] chosen = new int[count];
    chosen[0] = first;
    progress.chosen(1, count);
    int centre = first;
    for (int step = 1; step < count; step++) {
      int offset = centre * dimension;
      int farthest = -1;
      float farthestDistance = -1;
      for (int p = 0, row = 0; p < n; p++, row += dimension) {
        float d = squaredDistance(points, row, offset, dimension);
        float m = nearest[p];
        if (d < m) {
          m = d;
          nearest[p] = d;
        }
        if (m > farthestDistance) {
          farthestDistance = m;
          farthest = p;
        }
      }
      if (farthestDistance <= 0) { // everything left duplicates a chosen point
        return Arrays.copyOf(chosen, step);
      }
      chosen[step] = farthest;
      centre = farthest;
      progress.chosen(step + 1, count);
    }
    return chosen;
  }

  /** Four partial sums: independent chains the CPU can overlap. */
  static float squaredDistance(float[] points, int a, int b, int dimension) {
    float s0 = 0;
    float s1 = 0;
    float s2 = 0;
    float s3 = 0;
    int i = 0;
    for (; i + 3 < dimension; i += 4) {
      float d0 = points[a + i] - points[b + i];
      float d1 = points[a + i + 1] - points[b + i + 1];
      float d2 = points[a + i + 2] - points[b + i + 2];
      float d3 = points[a + i + 3] - points[b + i + 3];
      s0 += d0 * d0;
      s1 += d1 * d1;
      s2 += d2 * d2;
      s3 += d3 * d3;
    }
    for (; i < dimension; i++) {
      float d = points[a + i] - points[b + i];
      s0 += d * d;
    }
    return (s0 + s1) + (s2 + s3);
  }
}
