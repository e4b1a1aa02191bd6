package io.vigil.metrics.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.ScoredFrame;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The image scores and labels of one run, kept exactly (one double per image), and the image
 * metrics over them. A frame is flagged (predicted defective) when its score reaches the threshold.
 */
final class ImageScores {
  private double[] scores = new double[256];
  private boolean[] anomalous = new boolean[256];
  private String[] defectTypes = new String[256];
  private int size;

  void add(ScoredFrame frame) {
    if (Double.isNaN(frame.score())) {
      throw new IllegalArgumentException("frame " + frame.id() + " has a NaN image score");
    }
    if (size == scores.length) {
      scores = Arrays.copyOf(scores, size * 2);
      anomalous = Arrays.copyOf(anomalous, size * 2);
      defectTypes = Arrays.copyOf(defectTypes, size * 2);
    }
    GroundTruth truth = frame.truth();
    scores[size] = frame.score() == 0.0 ? 0.0 : frame.score();
    anomalous[size] = truth.anomalous();
    defectTypes[size] = truth.defectType();
    size++;
  }

  int size() {
    return size;
  }

  /** The images per defect type ("good" included), sorted by type. */
  Map<String, Integer> counts() {
    Map<String, Integer> counts = new TreeMap<>();
    for (int i = 0; i < size; i++) {
      counts.merge(defectTypes[i], 1, Integer::sum);
    }
    return counts;
  }

  /** The defect types present, sorted. */
  List<String> defectTypes() {
    List<String> types = new ArrayList<>(counts().keySet());
    types.remove(GroundTruth.GOOD);
    return types;
  }

  /** Exact groups of all images. */
  ScoreDistribution distribution() {
    return distribution(i -> true);
  }

  /** Exact groups of the good images and the images of one defect type. */
  ScoreDistribution distribution(String defectType) {
    return distribution(i -> !anomalous[i] || defectTypes[i].equals(defectType));
  }

  private ScoreDistribution distribution(Predicate<Integer> included) {
    Integer[] order = new Integer[size];
    int n = 0;
    for (int i = 0; i < size; i++) {
      if (included.test(i)) {
        order[n++] = i;
      }
    }
    Integer[] chosen = Arrays.copyOf(order, n);
    Arrays.sort(chosen, (a, b) -> Double.compare(scores[b], scores[a]));
    ScoreDistribution distribution = new ScoreDistribution();
    int i = 0;
    while (i < chosen.length) {
      double value = scores[chosen[i]];
      int negatives = 0;
      int positives = 0;
      while (i < chosen.length && scores[chosen[i]] == value) {
        if (anomalous[chosen[i]]) {
          positives++;
        } else {
          negatives++;
        }
        i++;
      }
      distribution.add(value, negatives, positives, false);
    }
    return distribution;
  }

  /** The best F1 and its threshold; ties go to the lowest threshold (as anomalib's F1Max). */
  record F1(double f1, double threshold, double precision, double recall) {
    static final F1 UNDEFINED = new F1(Double.NaN, Double.NaN, Double.NaN, Double.NaN);
  }

  static F1 f1Max(ScoreDistribution distribution) {
    double positives = distribution.totalPositive();
    if (!(positives > 0)) {
      return F1.UNDEFINED;
    }
    F1 best = null;
    double truePositives = 0;
    double falsePositives = 0;
    for (int i = 0; i < distribution.size(); i++) {
      truePositives += distribution.positive(i);
      falsePositives += distribution.negative(i);
      // F1 = 2 TP / (2 TP + FP + FN), the harmonic mean of precision and recall.
      double f1 = 2 * truePositives / (2 * truePositives + falsePositives + (positives - truePositives));
      if (best == null || f1 >= best.f1()) {
        best = new F1(f1, distribution.threshold(i), truePositives / (truePositives + falsePositives),
            truePositives / positives);
      }
    }
    return best;
  }

  /** The highest threshold that flags every defective image, and the share of good images it flags too. */
  record ZeroMiss(double threshold, double falseRejectRate) {
    static final ZeroMiss UNDEFINED = new ZeroMiss(Double.NaN, Double.NaN);
  }

  ZeroMiss zeroMiss(Predicate<String> defectTypeIncluded) {
    double lowestDefect = Double.POSITIVE_INFINITY;
    boolean anyDefect = false;
    int good = 0;
    for (int i = 0; i < size; i++) {
      if (anomalous[i] && defectTypeIncluded.test(defectTypes[i])) {
        lowestDefect = Math.min(lowestDefect, scores[i]);
        anyDefect = true;
      } else if (!anomalous[i]) {
        good++;
      }
    }
    if (!anyDefect) {
      return ZeroMiss.UNDEFINED;
    }
    int rejected = 0;
    for (int i = 0; i < size; i++) {
      if (!anomalous[i] && scores[i] >= lowestDefect) {
        rejected++;
      }
    }
    return new ZeroMiss(lowestDefect, good == 0 ? Double.NaN : (double) rejected / good);
  }

  /** Collects frames for one image metric. */
  abstract static class Accumulator implements Metric.Accumulator {
    final ImageScores images = new ImageScores();

    @Override
    public void add(ScoredFrame frame) {
      images.add(frame);
    }
  }
}
