package io.vigil.metrics.internal;

import java.util.Arrays;

/**
 * Scores grouped by threshold in descending order: for each group, the weight of negatives
 * (good images or pixels) and of positives (defects) at that score. A group is one distinct
 * score (exact), or one histogram bin whose scores may differ ({@code mixed}), which is where
 * streamed results can deviate from exact ones.
 */
final class ScoreDistribution {
  private double[] thresholds = new double[64];
  private double[] negatives = new double[64];
  private double[] positives = new double[64];
  private boolean[] mixed = new boolean[64];
  private int size;
  private double totalNegative;
  private double totalPositive;

  /** Appends the next group; {@code threshold} must be below the previous group's. */
  void add(double threshold, double negative, double positive, boolean mixedScores) {
    if (size > 0 && !(threshold < thresholds[size - 1])) {
      throw new IllegalStateException("groups must come in descending order: " + threshold + " after " + thresholds[size - 1]);
    }
    if (size == thresholds.length) {
      int capacity = size * 2;
      thresholds = Arrays.copyOf(thresholds, capacity);
      negatives = Arrays.copyOf(negatives, capacity);
      positives = Arrays.copyOf(positives, capacity);
      mixed = Arrays.copyOf(mixed, capacity);
    }
    thresholds[size] = threshold;
    negatives[size] = negative;
    positives[size] = positive;
    mixed[size] = mixedScores;
    size++;
    totalNegative += negative;
    totalPositive += positive;
  }

  int size() {
    return size;
  }

  /** The lowest score of group {@code i}: everything in groups 0..i scores at least this. */
  double threshold(int i) {
    return thresholds[i];
  }

  double negative(int i) {
    return negatives[i];
  }

  double positive(int i) {
    return positives[i];
  }

  boolean mixed(int i) {
    return mixed[i];
  }

  double totalNegative() {
    return totalNegative;
  }

  double totalPositive() {
    return totalPositive;
  }

  /**
   * Exact groups from negatives' and positives' scores, both sorted ascending: one group per
   * distinct value, so ties count as half, as in sklearn's roc_auc_score.
   */
  static ScoreDistribution ofSorted(float[] negatives, int negativeCount, float[] positives, int positiveCount) {
    ScoreDistribution distribution = new ScoreDistribution();
    int n = negativeCount - 1;
    int p = positiveCount - 1;
    while (n >= 0 || p >= 0) {
      float value = n < 0 ? positives[p] : p < 0 ? negatives[n] : Math.max(negatives[n], positives[p]);
      int negativeTies = 0;
      while (n >= 0 && negatives[n] == value) {
        negativeTies++;
        n--;
      }
      int positiveTies = 0;
      while (p >= 0 && positives[p] == value) {
        positiveTies++;
        p--;
      }
      distribution.add(value, negativeTies, positiveTies, false);
    }
    return distribution;
  }
}
