package io.vigil.demo.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The demo's command line.
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

  /** Parses {@code arguments}, resolving paths against {@code workingDirectory}. */
  static DemoOptions parse(List<String> arguments, Path workingDirectory) {
    Path data = null;
    Path work = workingDirectory.resolve("demo");
    Path models = null;
    String algorithm = DEFAULT_ALGORITHM;
    int epochs = DEFAULT_EPOCHS;
    int inputSize = DEFAULT_INPUT_SIZE;
    boolean retrain = false;
    Path screenshot = null;
    int after = 20;
    Duration timeout = Duration.ofSeconds(300);
    boolean afterGiven = false;
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      switch (argument) {
        case "--data" -> data = workingDirectory.resolve(value(arguments, ++i, argument)).normalize();
        case "--work" -> work = workingDirectory.resolve(value(arguments, ++i, argument)).normalize();
        case "--models" -> models = workingDirectory.resolve(value(arguments, ++i, argument)).normalize();
        case "--algorithm" -> algorithm = value(arguments, ++i, argument);
        case "--epochs" -> epochs = positive(value(arguments, ++i, argument), argument);
        case "--input-size" -> inputSize = positive(value(arguments, ++i, argument), argument);
        case "--retrain" -> retrain = true;
        case "--screenshot" -> screenshot = workingDirectory.resolve(value(arguments, ++i, argument)).normalize();
        case "--after" -> {
          after = positive(value(arguments, ++i, argument), argument);
          afterGiven = true;
        }
        case "--timeout" -> timeout = Duration.ofSeconds(positive(value(arguments, ++i, argument), argument));
        default -> throw new IllegalArgumentException("unknown argument '" + argument + "'");
      }
    }
    if (afterGiven && screenshot == null) {
      throw new IllegalArgumentException("--after needs --screenshot FILE");
    }
    return new DemoOptions(data, work, models, algorithm, epochs, inputSize, retrain, screenshot, after, timeout);
  }

  private static String value(List<String> arguments, int index, String option) {
    if (index >= arguments.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return arguments.get(index);
  }

  private static int positive(String text, String option) {
    try {
      int value = Integer.parseInt(text);
      if (value <= 0) {
        throw new IllegalArgumentException(option + " must be positive, not " + text);
      }
      return value;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " needs a whole number, not '" + text + "'");
    }
  }
}
