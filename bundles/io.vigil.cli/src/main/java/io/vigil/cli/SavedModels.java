package io.vigil.cli;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Loads a saved model with whichever installed detector factory recognises it: what every command
 * that takes {@code --model DIR} does, with the same messages for a missing directory, an
 * unfinished one (a training killed mid-write) and one no installed detector reads.
 *
 * @since 1.1
 */
public final class SavedModels {
  private SavedModels() {}

  /** @param backboneWeights directory with the pretrained backbone weights, or null for the default lookup */
  public static Detector load(List<DetectorFactory> factories, Path modelDirectory, Path backboneWeights) throws ModelException {
    if (!java.nio.file.Files.isDirectory(modelDirectory)) {
      throw new ModelException("model directory " + modelDirectory
          + (java.nio.file.Files.exists(modelDirectory) ? " is not a directory" : " does not exist"));
    }
    if (modelDirectory.getFileName() != null
        && modelDirectory.getFileName().toString().matches("\\..+\\.partial-\\d+-[0-9a-z]+")) {
      throw new ModelException(modelDirectory + " is an unfinished model: a training was writing it and stopped "
          + "(killed, or the power went) before it was complete; the next training beside it removes it");
    }
    for (DetectorFactory factory : factories) {
      if (factory.recognizes(modelDirectory)) {
        Map<String, Object> options = new HashMap<>();
        if (backboneWeights != null) {
          options.put("models", backboneWeights.toString());
        }
        return factory.load(modelDirectory, options);
      }
    }
    throw new ModelException(modelDirectory + " is not a model any installed detector reads (installed: "
        + factories.stream().map(DetectorFactory::algorithm).toList() + ")");
  }

  /** Releases a loaded detector's engine memory when it holds any. */
  public static void close(Detector detector) throws Exception {
    if (detector instanceof AutoCloseable closeable) {
      closeable.close();
    }
  }
}
