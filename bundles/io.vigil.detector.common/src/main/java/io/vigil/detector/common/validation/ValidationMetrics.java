package io.vigil.detector.common.validation;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Detection;
import io.vigil.api.image.Mask;
import java.util.Arrays;
import java.util.List;

/**
 * Image and pixel AUROC of a detector's maps on a {@link ValidationSet}.
 *
 * @param imageAuroc image score (the map's maximum) of defective against good images
 * @param pixelAuroc every pixel of every image against the masks (good images all negative)
 */
public record ValidationMetrics(double imageAuroc, double pixelAuroc) {

  /** The figure defaults and stopping are judged by: the mean of the two AUROCs. */
  public double criterion() {
    return (imageAuroc + pixelAuroc) / 2;
  }

  /**
   * @param goodMaps   maps of {@link ValidationSet#good()}, in order
   * @param defectMaps maps of {@link ValidationSet#defective()}, in order
   * @param masks      {@link ValidationSet#masks()}, each the size of its map
   */
  public static ValidationMetrics of(List<AnomalyMap> goodMaps, List<AnomalyMap> defectMaps, List<Mask> masks) {
    return of(goodMaps, defectMaps, masks, 1);
  }

  /**
   * The same for a detector's detections: images ranked by their raw scores, the detector's own
   * image score (PatchCore's, for one, need not be its map's maximum); pixels by the maps.
   *
   * @param good      detections of {@link ValidationSet#good()}, in order
   * @param defective detections of {@link ValidationSet#defective()}, in order
   * @param masks     {@link ValidationSet#masks()}, each the size of its map
   */
  public static ValidationMetrics ofDetections(List<Detection> good, List<Detection> defective, List<Mask> masks) {
    double[] scores = new double[good.size() + defective.size()];
    boolean[] labels = new boolean[scores.length];
    int i = 0;
    for (Detection detection : good) {
      scores[i++] = detection.rawScore();
    }
    for (Detection detection : defective) {
      labels[i] = true;
      scores[i++] = detection.rawScore();
    }
    double pixelAuroc = of(good.stream().map(Detection::map).toList(), defective.stream().map(Detection::map).toList(),
        masks).pixelAuroc();
    return new ValidationMetrics(auroc(scores, labels), pixelAuroc);
  }

  /**
   * The same with the pixel AUROC over every {@code stride}-th row and column only (stride 2: a
   * quarter of the pixels), for evaluations repeated during training.
   */
  public static ValidationMetrics of(List<AnomalyMap> goodMaps, List<AnomalyMap> defectMaps, List<Mask> masks,
      int stride) {
    if (stride < 1) {
      throw new IllegalArgumentException("stride must be at least 1: " + stride);
    }
    if (defectMaps.size() != masks.size()) {
      throw new IllegalArgumentException(defectMaps.size() + " maps for " + masks.size() + " masks");
    }
    int images = goodMaps.size() + defectMaps.size();
    double[] imageScores = new double[images];
    boolean[] imageLabels = new boolean[images];
    long pixels = 0;
    for (AnomalyMap map : goodMaps) {
      pixels += sampled(map, stride);
    }
    for (AnomalyMap map : defectMaps) {
      pixels += sampled(map, stride);
    }
    double[] pixelScores = new double[Math.toIntExact(pixels)];
    boolean[] pixelLabels = new boolean[pixelScores.length];
    int i = 0;
    int p = 0;
    for (AnomalyMap map : goodMaps) {
      imageScores[i++] = map.max();
      float[] values = map.values();
      for (int y = 0; y < map.height(); y += stride) {
        for (int x = 0; x < map.width(); x += stride) {
          pixelScores[p++] = values[y * map.width() + x];
        }
      }
    }
    for (int d = 0; d < defectMaps.size(); d++) {
      AnomalyMap map = defectMaps.get(d);
      Mask mask = masks.get(d);
      if (mask.width() != map.width() || mask.height() != map.height()) {
        throw new IllegalArgumentException("mask " + mask + " does not fit a " + map.width() + "x" + map.height() + " map");
      }
      imageLabels[i] = true;
      imageScores[i++] = map.max();
      float[] values = map.values();
      for (int y = 0; y < map.height(); y += stride) {
        for (int x = 0; x < map.width(); x += stride) {
          int k = y * map.width() + x;
          pixelLabels[p] = mask.isDefect(k);
          pixelScores[p++] = values[k];
        }
      }
    }
    return new ValidationMetrics(auroc(imageScores, imageLabels), auroc(pixelScores, pixelLabels));
  }

  private static long sampled(AnomalyMap map, int stride) {
    return (long) ((map.height() + stride - 1) / stride) * ((map.width() + stride - 1) / stride);
  }

  /**
   * Area under the ROC curve, ties counted half (scikit-learn's roc_auc_score); NaN without
   * both classes.
   */
  public static double auroc(double[] scores, boolean[] labels) {
    int positives = 0;
    for (boolean label : labels) {
      if (label) {
        positives++;
      }
    }
    int negatives = scores.length - positives;
    if (positives == 0 || negatives == 0) {
      return Double.NaN;
    }
    double[] positive = new double[positives];
    double[] negative = new double[negatives];
    int p = 0;
    int q = 0;
    for (int i = 0; i < scores.length; i++) {
      if (labels[i]) {
        positive[p++] = scores[i];
      } else {
        negative[q++] = scores[i];
      }
    }
    Arrays.sort(positive);
    Arrays.sort(negative);
    // For each positive: negatives below it count 1, equal ones 1/2 (both arrays ascending).
    double wins = 0;
    int below = 0;
    int upTo = 0;
    for (double score : positive) {
      while (below < negatives && negative[below] < score) {
        below++;
      }
      upTo = Math.max(upTo, below);
      while (upTo < negatives && negative[upTo] == score) {
        upTo++;
      }
      wins += below + (upTo - below) / 2.0;
    }
    return wins / ((double) positives * negatives);
  }
}
