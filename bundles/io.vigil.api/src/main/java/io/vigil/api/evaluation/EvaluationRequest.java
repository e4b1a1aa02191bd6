package io.vigil.api.evaluation;

import java.nio.file.Path;
import java.util.Objects;

/**
 * What to evaluate and where the report goes.
 *
 * @param model          the model directory
 * @param data           the data set root
 * @param split          the labelled split to score, normally {@value #TEST_SPLIT}
 * @param output         the report directory; must not exist unless {@code overwrite}
 * @param overwrite      replace an existing report directory (only once the new one is complete)
 * @param skipUnreadable go on past images that cannot be read, listing them in the report,
 *                       instead of stopping at the first
 */
public record EvaluationRequest(
    Path model, Path data, String split, Path output, boolean overwrite, boolean skipUnreadable) {
  public static final String TEST_SPLIT = "test";

  public EvaluationRequest {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(data, "data");
    Objects.requireNonNull(split, "split");
    Objects.requireNonNull(output, "output");
  }

  /** The test split, no overwrite, stop at the first unreadable image. */
  public EvaluationRequest(Path model, Path data, Path output) {
    this(model, data, TEST_SPLIT, output, false, false);
  }
}
