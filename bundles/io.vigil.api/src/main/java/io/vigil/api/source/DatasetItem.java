package io.vigil.api.source;

import io.vigil.api.image.GroundTruth;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One image of a data set split as listed on disk, before anything is decoded: enough to count,
 * stratify or check a split cheaply, and to read the frame later.
 *
 * @param id         unique within the split: the image path relative to the data set root, with '/'
 * @param image      the image file
 * @param defectType {@value GroundTruth#GOOD} for defect-free images, the defect name for defective
 *                   ones, null when the split carries no labels
 * @param mask       the ground-truth mask file; null when there is none (a good image: its mask is
 *                   all zero; an unlabelled image)
 */
public record DatasetItem(String id, Path image, String defectType, Path mask) {

  public DatasetItem {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(image, "image");
  }

  /** True when the data set says whether this image is defective. */
  public boolean labelled() {
    return defectType != null;
  }

  /** True for a labelled image with a defect. */
  public boolean anomalous() {
    return defectType != null && !GroundTruth.GOOD.equals(defectType);
  }
}
