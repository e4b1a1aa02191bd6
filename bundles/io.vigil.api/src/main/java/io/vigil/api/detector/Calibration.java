package io.vigil.api.detector;

/**
 * How a model turns raw scores into a normalised score and a decision. Stored with the model, so
 * a model moved to another station decides exactly as where it was trained.
 *
 * <p>The normalised score is {@code (raw - location) / scale}; a part is {@link Decision#NOK}
 * when its raw score reaches {@code threshold}.
 *
 * @param location  raw score that normalises to 0 (e.g. the median of good parts)
 * @param scale     raw score spread that normalises to 1 (positive)
 * @param threshold raw score from which a part is rejected
 */
public record Calibration(double location, double scale, double threshold) {
  public Calibration {
    if (!(scale > 0) || !Double.isFinite(location) || Double.isNaN(threshold)) {
      throw new IllegalArgumentException(
          "calibration needs finite location, positive scale, a threshold: " + location + ", " + scale + ", " + threshold);
    }
  }

  /** No normalisation and a threshold of {@code threshold}. */
  public static Calibration identity(double threshold) {
    return new Calibration(0, 1, threshold);
  }

  public double normalize(double rawScore) {
    return (rawScore - location) / scale;
  }

  public Decision decide(double rawScore) {
    return rawScore >= threshold ? Decision.NOK : Decision.OK;
  }

  /** The same calibration with another threshold (an operator moving the slider). */
  public Calibration withThreshold(double newThreshold) {
    return new Calibration(location, scale, newThreshold);
  }

  /** One scored image: map, raw score, normalised score and decision under this calibration. */
  public Detection detection(AnomalyMap map, double rawScore) {
    return new Detection(map, rawScore, normalize(rawScore), decide(rawScore));
  }
}
