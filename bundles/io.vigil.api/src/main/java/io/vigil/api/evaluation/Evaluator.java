package io.vigil.api.evaluation;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Scores the test split of a labelled data set with a saved model and writes the report. The
 * model is loaded by whichever registered detector factory recognises its directory, the data
 * set is opened by whichever registered data set format recognises its directory.
 */
@ProviderType
public interface Evaluator {

  /**
   * Runs one evaluation to completion on the calling thread. The output directory appears
   * complete or not at all: it is built beside its final place and moved there at the end.
   *
   * @throws EvaluationException on bad input (no factory or format recognises a directory, an
   *     unreadable image, a frame without ground truth, an existing output without overwrite)
   * @throws InterruptedException when the calling thread was interrupted or the monitor cancelled;
   *     nothing is left at the output path
   */
  EvaluationReport evaluate(EvaluationRequest request, EvaluationMonitor monitor)
      throws EvaluationException, InterruptedException;
}
