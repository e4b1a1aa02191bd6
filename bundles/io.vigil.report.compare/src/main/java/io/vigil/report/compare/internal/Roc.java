package io.vigil.report.compare.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The image ROC of one model from its scores and labels (defective is positive), one point per
 * distinct threshold from the highest score down, as scikit-learn's roc_curve without dropping
 * collinear points; and the zero-miss point: the highest threshold that still flags every
 * defective image, with the share of good images it rejects.
 */
final class Roc {
  record Point(double falsePositiveRate, double truePositiveRate, double threshold) {}

  private Roc() {}

  static List<Point> curve(double[] scores, int[] labels) {
    Integer[] order = new Integer[scores.length];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> scores[i]).reversed());
    int positives = (int) Arrays.stream(labels).filter(l -> l == 1).count();
    int negatives = labels.length - positives;
    List<Point> points = new ArrayList<>();
    points.add(new Point(0, 0, Double.POSITIVE_INFINITY));
    int truePositives = 0;
    int falsePositives = 0;
    for (int k = 0; k < order.length; k++) {
      int i = order[k];
      if (labels[i] == 1) {
        truePositives++;
      } else {
        falsePositives++;
      }
      boolean lastOfTie = k == order.length - 1 || scores[order[k + 1]] != scores[i];
      if (lastOfTie) {
        points.add(new Point(rate(falsePositives, negatives), rate(truePositives, positives), scores[i]));
      }
    }
    return points;
  }

  /** The zero-miss point: threshold = the lowest defective score; NaN rates when there is no defective image. */
  static Point zeroMiss(double[] scores, int[] labels) {
    double threshold = Double.POSITIVE_INFINITY;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == 1) {
        threshold = Math.min(threshold, scores[i]);
      }
    }
    if (threshold == Double.POSITIVE_INFINITY) {
      return new Point(Double.NaN, Double.NaN, Double.NaN);
    }
    int negatives = 0;
    int rejected = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i] == 0) {
        negatives++;
        if (scores[i] >= threshold) {
          rejected++;
        }
      }
    }
    return new Point(rate(rejected, negatives), 1.0, threshold);
  }

  /** Trapezoidal area under the curve. */
  static double area(List<Point> curve) {
    double area = 0;
    for (int i = 1; i < curve.size(); i++) {
      Point a = curve.get(i - 1);
      Point b = curve.get(i);
      area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
    }
    return area;
  }

  private static double rate(int count, int total) {
    return total == 0 ? Double.NaN : (double) count / total;
  }
}
