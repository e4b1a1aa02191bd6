package io.vigil.api.metric;

import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Names of the metrics every evaluation reports and of their detail figures, so that the
 * evaluation, the report writers and the metric bundle agree without depending on each other.
 */
public final class StandardMetrics {
  /** Image score vs. label (any defect is positive); details hold one AUROC per defect type. */
  public static final String IMAGE_AUROC = "image_auroc";
  /** Every pixel of every test image vs. its mask. */
  public static final String PIXEL_AUROC = "pixel_auroc";
  /** Area under the per-region overlap curve up to a false positive rate of 0.3, normalised (MVTec AD). */
  public static final String AUPRO = "aupro";
  /** The best F1 over all image thresholds; details hold the threshold. */
  public static final String F1_MAX = "f1_max";
  /** The image ROC curve; the value is its area. */
  public static final String ROC = "roc";
  /** The highest image threshold that still flags every defective image. */
  public static final String ZERO_MISS_THRESHOLD = "zero_miss_threshold";

  /** Detail: the threshold a value was reached at (f1_max). */
  public static final String THRESHOLD = "threshold";
  /** Detail: the share of good images rejected (zero_miss_threshold). */
  public static final String FALSE_REJECT_RATE = "false_reject_rate";
  /** Detail: the largest possible difference to the exact value (streamed pixel metrics; 0 when exact). */
  public static final String ERROR_BOUND = "error_bound";
  /** Detail: 1 when the value was computed exactly, 0 when streamed. */
  public static final String EXACT = "exact";
  /** Detail key prefix of a per-defect-type figure: {@code defect.crack}. */
  public static final String DEFECT_PREFIX = "defect.";

  private StandardMetrics() {}

  /** The detail key of {@code defectType}'s figure. */
  public static String defectKey(String defectType) {
    return DEFECT_PREFIX + defectType;
  }

  /**
   * The per-defect-type figures among {@code details} ({@code defect.crack}), by type, sorted;
   * not the figures about them ({@code defect.crack.error_bound}).
   */
  public static SortedMap<String, Double> byDefectType(Map<String, Double> details) {
    SortedMap<String, Double> byType = new TreeMap<>();
    details.forEach((key, value) -> {
      String type = key.startsWith(DEFECT_PREFIX) ? key.substring(DEFECT_PREFIX.length()) : "";
      if (!type.isEmpty() && !type.contains(".")) {
        byType.put(type, value);
      }
    });
    return byType;
  }
}
