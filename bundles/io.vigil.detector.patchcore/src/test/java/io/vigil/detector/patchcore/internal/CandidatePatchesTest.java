package io.vigil.detector.patchcore.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CandidatePatchesTest {

  /**
   * One patch of one image lies far from all others (a rare but good structure). A random
   * subsample of 10% of all patches misses it with probability 0.9 (this seed's does), so a bank
   * chosen among those candidates leaves it uncovered; the first stage keeps it, because within
   * its own image it is the farthest patch, and the second stage keeps it for the same reason.
   */
  @Test
  void keepsAnIsolatedPatchThatRandomCandidatesDrop() throws Exception {
    int images = 100;
    int cells = 64;
    int dimension = 4;
    float[] points = KCenterCoresetTest.gaussian(new Random(21), images * cells, dimension);
    int outlier = 37 * cells + 11;
    Arrays.fill(points, outlier * dimension, (outlier + 1) * dimension, 50f);

    CandidatePatches twoStage = new CandidatePatches(0.1, new Random(1), dimension, dimension);
    for (int image = 0; image < images; image += 8) { // fed in batches, as a fit streams them
      int end = Math.min(images, image + 8);
      float[] batch = Arrays.copyOfRange(points, image * cells * dimension, end * cells * dimension);
      twoStage.add(batch, batch, cells);
    }
    assertEquals(images * 7, twoStage.size(), "ceil(10% of 64) kept per image");
    assertEquals(images * cells, twoStage.seen());
    float[] bank = twoStage.features(twoStage.coreset(70, new Random(2), 1, KCenterCoreset.Progress.NONE));
    assertTrue(containsRow(bank, dimension, 50f), "the isolated patch is in the bank");

    CandidatePatches all = new CandidatePatches(1, new Random(1), dimension, dimension);
    all.add(points, points, cells);
    int[] randomCandidates = PatchCoreTrainer.sample(images * cells, images * cells / 10, new Random(6));
    assertFalse(Arrays.stream(randomCandidates).anyMatch(i -> i == outlier), "this seed's subsample misses it");
    CandidatePatches sampled = all.subset(randomCandidates);
    float[] randomBank = sampled.features(sampled.coreset(70, new Random(2), 1, KCenterCoreset.Progress.NONE));

    double twoStageRadius = radius(points, dimension, bank);
    double randomRadius = radius(points, dimension, randomBank);
    assertTrue(randomRadius > 90, "the random candidates' bank leaves the isolated patch " + randomRadius + " away");
    assertTrue(twoStageRadius < randomRadius / 10, "two-stage radius " + twoStageRadius + " vs " + randomRadius);
  }

  /**
   * Malkomes et al.: when every part keeps at least k of its points by greedy k-center and the
   * greedy then chooses k among the union, the radius over all points is at most 4 times the
   * optimal k-center radius, found here by trying every subset.
   */
  @Test
  void staysWithinFourTimesTheBruteForceOptimum() throws Exception {
    Random random = new Random(13);
    int parts = 4;
    int cells = 4;
    int k = 3;
    for (int trial = 0; trial < 10; trial++) {
      float[] points = KCenterCoresetTest.gaussian(random, parts * cells, 2);
      CandidatePatches candidates = new CandidatePatches(0.75, new Random(trial), 2, 2);
      candidates.add(points, points, cells);
      assertEquals(parts * k, candidates.size());
      float[] bank = candidates.features(candidates.coreset(k, new Random(trial), 1, KCenterCoreset.Progress.NONE));
      assertEquals(k * 2, bank.length);
      double optimum = Double.POSITIVE_INFINITY;
      for (int[] subset : KCenterCoresetTest.subsets(parts * cells, k)) {
        optimum = Math.min(optimum, KCenterCoresetTest.radius(points, 2, subset));
      }
      double achieved = radius(points, 2, bank);
      assertTrue(achieved >= optimum - 1e-6, "no choice beats the optimum");
      assertTrue(achieved <= 4 * optimum + 1e-6, "two-stage " + achieved + " vs optimum " + optimum);
      for (int c = 0; c < k; c++) { // every bank row is one of the points
        float[] row = Arrays.copyOfRange(bank, c * 2, c * 2 + 2);
        assertTrue(containsRow(points, 2, row), "bank row " + Arrays.toString(row));
      }
    }
  }

  /** The first stage keeps full features by the projection's choice, in the order the greedy chose. */
  @Test
  void keepsTheFeaturesOfThePatchesChosenOnTheProjection() throws Exception {
    int cells = 20;
    float[] features = KCenterCoresetTest.gaussian(new Random(8), 2 * cells, 6);
    float[] projected = new float[2 * cells * 2];
    for (int p = 0; p < 2 * cells; p++) { // projection: the first two coordinates
      projected[p * 2] = features[p * 6];
      projected[p * 2 + 1] = features[p * 6 + 1];
    }
    CandidatePatches candidates = new CandidatePatches(0.25, new Random(4), 6, 2);
    candidates.add(features, projected, cells);
    assertEquals(10, candidates.size());
    Random starts = new Random(4);
    float[] expected = new float[0];
    for (int image = 0; image < 2; image++) {
      int[] chosen = KCenterCoreset.select(Arrays.copyOfRange(projected, image * cells * 2, (image + 1) * cells * 2), 2,
          5, starts.nextInt(cells), 1, KCenterCoreset.Progress.NONE);
      for (int row : chosen) {
        int p = image * cells + row;
        expected = concat(expected, Arrays.copyOfRange(features, p * 6, p * 6 + 6));
      }
    }
    int[] everyKept = new int[10];
    Arrays.setAll(everyKept, i -> i);
    assertArrayEquals(expected, candidates.features(everyKept));
  }

  private static boolean containsRow(float[] rows, int dimension, float value) {
    float[] row = new float[dimension];
    Arrays.fill(row, value);
    return containsRow(rows, dimension, row);
  }

  private static boolean containsRow(float[] rows, int dimension, float[] row) {
    for (int r = 0; r < rows.length / dimension; r++) {
      if (Arrays.equals(Arrays.copyOfRange(rows, r * dimension, (r + 1) * dimension), row)) {
        return true;
      }
    }
    return false;
  }

  /** Largest distance from any point to its nearest centre (centres given as rows). */
  private static double radius(float[] points, int dimension, float[] centres) {
    float[] both = concat(points, centres);
    int n = points.length / dimension;
    int[] indices = new int[centres.length / dimension];
    Arrays.setAll(indices, i -> n + i);
    double radius = KCenterCoresetTest.radius(both, dimension, indices);
    return radius;
  }

  private static float[] concat(float[] a, float[] b) {
    float[] both = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, both, a.length, b.length);
    return both;
  }
}
