package io.vigil.report.compare.api;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One evaluation folder as the comparison sees it.
 *
 * @param name      the model's label: the folder's name
 * @param directory the evaluation folder; null for a run a client made itself and did not write
 * @param figures   every numeric figure of its summary.csv (keys such as {@link #IMAGE_AUROC})
 * @param images    the number of scored images
 * @param roc       the image ROC from (0, 0) to (1, 1), highest threshold first
 * @param zeroMiss  the highest threshold that still rejects every defective image, with the share of
 *                  good images it rejects (NaN rates without a defective image)
 */
public record ComparedModel(String name, Path directory, Map<String, Double> figures, int images, List<RocPoint> roc,
    RocPoint zeroMiss) {
  public static final String IMAGE_AUROC = "image_auroc";
  public static final String PIXEL_AUROC = "pixel_auroc";
  public static final String AUPRO = "aupro";
  public static final String F1_MAX = "f1_max";
  public static final String MODEL_THRESHOLD = "model_threshold";
  public static final String MODEL_MISS_RATE = "model_miss_rate";
  public static final String MODEL_FALSE_REJECT_RATE = "model_false_reject_rate";
  public static final String IMAGES_PER_SECOND = "images_per_second";

  public ComparedModel {
    figures = Map.copyOf(figures);
    roc = List.copyOf(roc);
  }

  /** The figure, NaN when the summary lacks it. */
  public double figure(String key) {
    return figures.getOrDefault(key, Double.NaN);
  }
}
