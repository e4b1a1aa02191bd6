package io.vigil.api.evaluation;

import io.vigil.api.detector.Calibration;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What an evaluation is scoring with and on, known once the model and the data set are open.
 *
 * @param detectorName  the loaded model's name
 * @param algorithm     its algorithm
 * @param calibration   its normalisation and threshold: decisions in the report use it
 * @param datasetFormat the name of the format that opened the data set
 * @param model         the model directory
 * @param data          the data set root
 * @param split         the split scored
 */
public record EvaluationRun(
    String detectorName, String algorithm, Calibration calibration, String datasetFormat, Path model, Path data,
    String split) {
  public EvaluationRun {
    Objects.requireNonNull(calibration, "calibration");
    Objects.requireNonNull(data, "data");
  }
}
