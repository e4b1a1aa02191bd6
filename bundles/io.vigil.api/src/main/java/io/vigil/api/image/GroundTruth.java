package io.vigil.api.image;

import java.util.Objects;
import java.util.Optional;

/**
 * The known answer for a labelled frame.
 *
 * @param anomalous  true for any defect
 * @param defectType {@value #GOOD} for defect-free frames, else the data set's defect name
 *                   ("crack", "blowhole", ...)
 * @param mask       the defect pixels, when the data set has them; may be null
 */
public record GroundTruth(boolean anomalous, String defectType, Mask mask) {
  public static final String GOOD = "good";

  public GroundTruth {
    Objects.requireNonNull(defectType, "defectType");
    if (!anomalous && !GOOD.equals(defectType)) {
      throw new IllegalArgumentException("a defect-free frame has defect type '" + GOOD + "', not " + defectType);
    }
  }

  public static GroundTruth good(Mask mask) {
    return new GroundTruth(false, GOOD, mask);
  }

  public static GroundTruth defect(String defectType, Mask mask) {
    return new GroundTruth(true, defectType, mask);
  }

  public Optional<Mask> optionalMask() {
    return Optional.ofNullable(mask);
  }
}
