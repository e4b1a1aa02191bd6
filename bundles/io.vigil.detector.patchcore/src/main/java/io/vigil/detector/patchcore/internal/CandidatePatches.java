package io.vigil.detector.patchcore.internal;

import java.util.Arrays;
import java.util.Random;

/**
 * The coreset in two stages (the distributed greedy k-center of Malkomes et al., NeurIPS 2015:
 * greedy k-center within each part, then greedy k-center over the union of the parts' centres,
 * covers the data within a constant factor of the optimal radius). Each training image is a
 * part: as its features arrive, a greedy k-center keeps a share of its patches, so the patches
 * that are rare in the training set (present in one image only) survive, which a random
 * subsample of all patches would mostly drop, and only the kept patches are held. {@link
 * #coreset} then runs the greedy over all kept patches down to the bank size.
 *
 * <p>Distances in both stages are taken on the random projection; the bank keeps the full
 * features.
 */
final class CandidatePatches {
  private final double share;
  private final Random random;
  private final int featureDimension;
  private final int projectedDimension;
  private float[] features = new float[0];
  private float[] projected = new float[0];
  private int size;
  private long seen;

  /**
   * @param share  share of each image's patches the first stage keeps (at least one); 1 keeps
   *     them all
   * @param random draws each image's starting patch
   */
  CandidatePatches(double share, Random random, int featureDimension, int projectedDimension) {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1]: " + share);
    }
    this.share = share;
    this.random = random;
    this.featureDimension = featureDimension;
    this.projectedDimension = projectedDimension;
  }

  /** How many of an image's {@code cells} patches the first stage keeps. */
  static int kept(double share, int cells) {
    return share >= 1 ? cells : Math.max(1, Math.min(cells, (int) Math.ceil(share * cells)));
  }

  /**
   * Adds images' patches, {@code cells} consecutive rows per image.
   *
   * @param imageFeatures  (images * cells, featureDimension) row-major
   * @param imageProjected the same rows projected, (images * cells, projectedDimension)
   */
  void add(float[] imageFeatures, float[] imageProjected, int cells) throws InterruptedException {
    int rows = imageFeatures.length / featureDimension;
    if (rows * featureDimension != imageFeatures.length || rows * projectedDimension != imageProjected.length
        || rows % cells != 0) {
      throw new IllegalArgumentException(imageFeatures.length + " and " + imageProjected.length
          + " values are not images of " + cells + " rows of " + featureDimension + " and " + projectedDimension);
    }
    int keep = kept(share, cells);
    for (int image = 0; image < rows / cells; image++) {
      int firstRow = image * cells;
      if (keep == cells) {
        append(imageFeatures, imageProjected, firstRow, cells);
      } else {
        float[] own = Arrays.copyOfRange(imageProjected, firstRow * projectedDimension,
            (firstRow + cells) * projectedDimension);
        int[] chosen = KCenterCoreset.select(own, projectedDimension, keep, random.nextInt(cells), 1,
            KCenterCoreset.Progress.NONE);
        for (int row : chosen) {
          append(imageFeatures, imageProjected, firstRow + row, 1);
        }
      }
      seen += cells;
    }
  }

  private void append(float[] imageFeatures, float[] imageProjected, int row, int count) {
    int needed = size + count;
    if (needed * (long) featureDimension > features.length) {
      int capacity = Math.max(needed, Math.max(1024, size * 2));
      features = Arrays.copyOf(features, Math.multiplyExact(capacity, featureDimension));
      projected = Arrays.copyOf(projected, Math.multiplyExact(capacity, projectedDimension));
    }
    System.arraycopy(imageFeatures, row * featureDimension, features, size * featureDimension,
        count * featureDimension);
    System.arraycopy(imageProjected, row * projectedDimension, projected, size * projectedDimension,
        count * projectedDimension);
    size = needed;
  }

  /** Patches kept. */
  int size() {
    return size;
  }

  /** Patches offered, kept or not. */
  long seen() {
    return seen;
  }

  int featureDimension() {
    return featureDimension;
  }

  /** The kept patches' projections, (size, projectedDimension) row-major. */
  float[] projected() {
    return Arrays.copyOf(projected, size * projectedDimension);
  }

  /** The full features of all kept patches, (size, featureDimension) row-major. */
  float[] allFeatures() {
    return Arrays.copyOf(features, size * featureDimension);
  }

  /** The full features of the given kept patches, (rows.length, featureDimension) row-major. */
  float[] features(int[] rows) {
    float[] out = new float[rows.length * featureDimension];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(features, rows[i] * featureDimension, out, i * featureDimension, featureDimension);
    }
    return out;
  }

  /**
   * The second stage: greedy k-center over the kept patches' projections, starting from a random
   * one.
   *
   * @return indices of the chosen kept patches, in the order chosen
   */
  int[] coreset(int count, Random random, int threads, KCenterCoreset.Progress progress) throws InterruptedException {
    if (count >= size) {
      int[] all = new int[size];
      Arrays.setAll(all, i -> i);
      return all;
    }
    return KCenterCoreset.select(projected(), projectedDimension, count, random.nextInt(size), threads, progress);
  }

  /** Only the given kept patches (the random candidates of the single-stage setting). */
  CandidatePatches subset(int[] rows) {
    CandidatePatches subset = new CandidatePatches(1, random, featureDimension, projectedDimension);
    subset.features = features(rows);
    subset.projected = new float[rows.length * projectedDimension];
    for (int i = 0; i < rows.length; i++) {
      System.arraycopy(projected, rows[i] * projectedDimension, subset.projected, i * projectedDimension,
          projectedDimension);
    }
    subset.size = rows.length;
    subset.seen = seen;
    return subset;
  }
}
