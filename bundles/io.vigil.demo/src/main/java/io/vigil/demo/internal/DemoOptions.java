package io.vigil.demo.internal;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The demo's command line, as {@link DemoCommand.Demo} parsed it.
 *
 * @param data          a data set to use instead of the generated one; null for the generated one
 * @param work          where the generated data set and the trained model live
 * @param models        backbone weights folder passed to the factory; null for its default lookup
 * @param algorithm     the detector factory to train with
 * @param epochs        training epochs
 * @param inputSize     the detector's input size in pixels
 * @param retrain       train again even when a model from an earlier run is there
 * @param screenshot    save a screenshot after {@code after} results and exit; null to stay open
 * @param after         results before the screenshot
 * @param timeout       how long to wait for them
 */
record DemoOptions(Path data, Path work, Path models, String algorithm, int epochs, int inputSize, boolean retrain,
    Path screenshot, int after, Duration timeout) {

  static final String DEFAULT_ALGORITHM = "simplenet";
  static final int DEFAULT_EPOCHS = 4;
  static final int DEFAULT_INPUT_SIZE = 128;
}
