package io.vigil.detector.patchcore.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

class KCenterCoresetTest {

  /** The fused pass chooses exactly what the textbook greedy (minimum recomputed from scratch each step) chooses. */
  @Test
  void choosesWhatTheTextbookGreedyChooses() throws Exception {
    Random random = new Random(3);
    for (int trial = 0; trial < 20; trial++) {
      int n = 30 + random.nextInt(60);
      int dimension = 1 + random.nextInt(9);
      float[] points = gaussian(random, n, dimension);
      int count = 1 + random.nextInt(n);
      int first = random.nextInt(n);
      assertArrayEquals(textbookGreedy(points, dimension, count, first),
          KCenterCoreset.select(points, dimension, count, first, KCenterCoreset.Progress.NONE), "trial " + trial);
    }
  }

  /**
   * Against the optimum found by trying every subset: the greedy radius is at most twice the best
   * k-center radius (Gonzalez's bound), and on well separated clusters it finds one point per
   * cluster, so it is optimal up to the clusters' spread.
   */
  @Test
  void staysWithinTwiceTheBruteForceOptimum() throws Exception {
    Random random = new Random(11);
    for (int trial = 0; trial < 10; trial++) {
      int n = 14;
      int dimension = 2;
      int k = 3;
      float[] points = gaussian(random, n, dimension);
      double optimum = Double.POSITIVE_INFINITY;
      for (int[] subset : subsets(n, k)) {
        optimum = Math.min(optimum, radius(points, dimension, subset));
      }
      int[] greedy = KCenterCoreset.select(points, dimension, k, random.nextInt(n), KCenterCoreset.Progress.NONE);
      double achieved = radius(points, dimension, greedy);
      assertTrue(achieved >= optimum - 1e-9, "no subset beats the optimum");
      assertTrue(achieved <= 2 * optimum + 1e-6, "greedy " + achieved + " vs optimum " + optimum);
    }
    // Four tight clusters far apart: one centre per cluster.
    float[] clusters = new float[4 * 5 * 2];
    for (int c = 0; c < 4; c++) {
      for (int i = 0; i < 5; i++) {
        clusters[(c * 5 + i) * 2] = c * 100 + random.nextFloat();
        clusters[(c * 5 + i) * 2 + 1] = (c % 2) * 100 + random.nextFloat();
      }
    }
    int[] chosen = KCenterCoreset.select(clusters, 2, 4, 7, KCenterCoreset.Progress.NONE);
    boolean[] seen = new boolean[4];
    for (int index : chosen) {
      seen[index / 5] = true;
    }
    assertArrayEquals(new boolean[] {true, true, true, true}, seen);
  }

  /** Split among threads, the parts are combined in order: the same choice as one thread's pass. */
  @Test
  void threadsDoNotChangeTheChoice() throws Exception {
    Random random = new Random(5);
    int n = 3 * KCenterCoreset.MIN_POINTS_PER_THREAD + 17;
    float[] points = gaussian(random, n, 5);
    int[] one = KCenterCoreset.select(points, 5, 60, 123, 1, KCenterCoreset.Progress.NONE);
    int[] three = KCenterCoreset.select(points, 5, 60, 123, 3, KCenterCoreset.Progress.NONE);
    assertArrayEquals(one, three);
    assertEquals(60, Arrays.stream(one).distinct().count(), "distinct points");
    // And both are the textbook greedy's choice on a prefix small enough to check that way.
    float[] small = Arrays.copyOf(points, 300 * 5);
    assertArrayEquals(textbookGreedy(small, 5, 25, 7),
        KCenterCoreset.select(small, 5, 25, 7, 2, KCenterCoreset.Progress.NONE));
  }

  @Test
  void stopsEarlyWhenOnlyDuplicatesRemain() throws Exception {
    float[] points = {0, 0, 1, 1, 0, 0, 1, 1, 0, 0};
    int[] chosen = KCenterCoreset.select(points, 2, 4, 0, KCenterCoreset.Progress.NONE);
    assertArrayEquals(new int[] {0, 1}, chosen);
  }

  @Test
  void progressCountsUpAndCanCancel() throws Exception {
    float[] points = gaussian(new Random(1), 50, 3);
    List<Integer> seen = new ArrayList<>();
    KCenterCoreset.select(points, 3, 10, 0, (chosen, total) -> {
      assertEquals(10, total);
      seen.add(chosen);
    });
    assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), seen);
    assertThrows(CancellationException.class, () -> KCenterCoreset.select(points, 3, 10, 0, (chosen, total) -> {
      if (chosen == 4) {
        throw new CancellationException("stop");
      }
    }));
  }

  static float[] gaussian(Random random, int n, int dimension) {
    float[] points = new float[n * dimension];
    for (int i = 0; i < points.length; i++) {
      points[i] = (float) random.nextGaussian();
    }
    return points;
  }

  private static int[] textbookGreedy(float[] points, int dimension, int count, int first) {
    int n = points.length / dimension;
    List<Integer> chosen = new ArrayList<>(List.of(first));
    while (chosen.size() < count) {
      int farthest = -1;
      double farthestDistance = -1;
      for (int p = 0; p < n; p++) {
        double nearest = Double.POSITIVE_INFINITY;
        for (int c : chosen) {
          nearest = Math.min(nearest, KCenterCoreset.squaredDistance(points, p * dimension, c * dimension, dimension));
        }
        if (nearest > farthestDistance) {
          farthestDistance = nearest;
          farthest = p;
        }
      }
      chosen.add(farthest);
    }
    return chosen.stream().mapToInt(Integer::intValue).toArray();
  }

  /** The largest distance from any point to its nearest centre. */
  static double radius(float[] points, int dimension, int[] centres) {
    double radius = 0;
    for (int p = 0; p < points.length / dimension; p++) {
      double nearest = Double.POSITIVE_INFINITY;
      for (int c : centres) {
        double sum = 0;
        for (int i = 0; i < dimension; i++) {
          double d = points[p * dimension + i] - points[c * dimension + i];
          sum += d * d;
        }
        nearest = Math.min(nearest, Math.sqrt(sum));
      }
      radius = Math.max(radius, nearest);
    }
    return radius;
  }

  static List<int[]> subsets(int n, int k) {
    List<int[]> all = new ArrayList<>();
    int[] current = new int[k];
    fill(all, current, 0, 0, n);
    return all;
  }

  private static void fill(List<int[]> all, int[] current, int position, int from, int n) {
    if (position == current.length) {
      all.add(current.clone());
      return;
    }
    for (int i = from; i < n; i++) {
      current[position] = i;
      fill(all, current, position + 1, i + 1, n);
    }
  }
}
