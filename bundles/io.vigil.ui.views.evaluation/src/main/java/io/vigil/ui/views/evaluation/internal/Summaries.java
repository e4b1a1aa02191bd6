package io.vigil.ui.views.evaluation.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the evaluation view draws from the image scores: the ROC curve, the operating point at a
 * threshold (a part is rejected when its score reaches the threshold), the share caught per defect
 * type and the worst mistakes. Pure functions over a few thousand scores at most.
 */
final class Summaries {
  private Summaries() {}

  /** A point of the ROC curve at {@code threshold}. */
  record RocPoint(double falsePositiveRate, double truePositiveRate, double threshold) {}

  /** Counts at one threshold. */
  record Operating(int truePositives, int falsePositives, int trueNegatives, int falseNegatives) {
    double truePositiveRate() {
      int positives = truePositives + falseNegatives;
      return positives == 0 ? Double.NaN : (double) truePositives / positives;
    }

    double falsePositiveRate() {
      int negatives = falsePositives + trueNegatives;
      return negatives == 0 ? Double.NaN : (double) falsePositives / negatives;
    }
  }

  /** Per defect type (and "good"): images and how many of them were rejected. */
  record DefectBar(String type, int images, int rejected) {
    double rejectedShare() {
      return images == 0 ? 0 : (double) rejected / images;
    }
  }

  /** The ROC curve from (0, 0) to (1, 1), one point per distinct score, highest threshold first. */
  static List<RocPoint> roc(List<ScoredImage> images) {
    List<ScoredImage> sorted = new ArrayList<>(images);
    sorted.sort(Comparator.comparingDouble(ScoredImage::score).reversed());
    long positives = images.stream().filter(ScoredImage::anomalous).count();
    long negatives = images.size() - positives;
    List<RocPoint> points = new ArrayList<>();
    points.add(new RocPoint(0, 0, Double.POSITIVE_INFINITY));
    int tp = 0;
    int fp = 0;
    for (int i = 0; i < sorted.size(); i++) {
      ScoredImage image = sorted.get(i);
      if (image.anomalous()) {
        tp++;
      } else {
        fp++;
      }
      boolean lastOfScore = i == sorted.size() - 1 || sorted.get(i + 1).score() != image.score();
      if (lastOfScore) {
        points.add(new RocPoint(negatives == 0 ? 0 : (double) fp / negatives, positives == 0 ? 0 : (double) tp / positives,
            image.score()));
      }
    }
    return points;
  }

  /** The area under the ROC curve (trapezoids; ties count half). */
  static double auc(List<RocPoint> roc) {
    double area = 0;
    for (int i = 1; i < roc.size(); i++) {
      RocPoint a = roc.get(i - 1);
      RocPoint b = roc.get(i);
      area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
    }
    return area;
  }

  static Operating at(List<ScoredImage> images, double threshold) {
    int tp = 0;
    int fp = 0;
    int tn = 0;
    int fn = 0;
    for (ScoredImage image : images) {
      boolean rejected = image.score() >= threshold;
      if (image.anomalous()) {
        if (rejected) {
          tp++;
        } else {
          fn++;
        }
      } else if (rejected) {
        fp++;
      } else {
        tn++;
      }
    }
    return new Operating(tp, fp, tn, fn);
  }

  /** "good" first, then the defect types alphabetically. */
  static List<DefectBar> defectBars(List<ScoredImage> images, double threshold) {
    Map<String, int[]> counts = new TreeMap<>();
    for (ScoredImage image : images) {
      int[] count = counts.computeIfAbsent(image.defectType(), type -> new int[2]);
      count[0]++;
      if (image.score() >= threshold) {
        count[1]++;
      }
    }
    Map<String, int[]> ordered = new LinkedHashMap<>();
    if (counts.containsKey("good")) {
      ordered.put("good", counts.remove("good"));
    }
    ordered.putAll(counts);
    List<DefectBar> bars = new ArrayList<>();
    ordered.forEach((type, count) -> bars.add(new DefectBar(type, count[0], count[1])));
    return bars;
  }

  /** Good images rejected at the threshold, highest score (worst) first. */
  static List<ScoredImage> falsePositives(List<ScoredImage> images, double threshold) {
    return images.stream().filter(i -> !i.anomalous() && i.score() >= threshold)
        .sorted(Comparator.comparingDouble(ScoredImage::score).reversed()).toList();
  }

  /** Defective images passed at the threshold, lowest score (worst) first. */
  static List<ScoredImage> falseNegatives(List<ScoredImage> images, double threshold) {
    return images.stream().filter(i -> i.anomalous() && i.score() < threshold)
        .sorted(Comparator.comparingDouble(ScoredImage::score)).toList();
  }
}
