package io.vigil.api.detector;

import io.vigil.api.source.ImageSource;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * One algorithm's entry point: trains models from good images and loads saved ones. Registered
 * with {@link Detector#ALGORITHM_PROPERTY}.
 *
 * <p>A model is a directory with weights and a metadata document naming the algorithm, so
 * {@link #recognizes(Path)} can tell which factory loads it.
 */
@ConsumerType
public interface DetectorFactory {

  String algorithm();

  /**
   * Trains a model on the frames of a finite source of defect-free images and writes it to
   * {@code modelDirectory}, atomically: on failure or cancellation no model is left there.
   *
   * @param parameters algorithm hyper-parameters by name; missing ones take defaults. Two names
   *     are common to all algorithms: "name" (the model's name, default the directory's name) and
   *     "models" (a directory holding pretrained backbone weights)
   * @throws CancellationException when the monitor cancelled training
   */
  Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException;

  /** True when {@code modelDirectory} holds a model of this factory's algorithm. */
  boolean recognizes(Path modelDirectory);

  /** Loads a saved model. */
  Detector load(Path modelDirectory) throws ModelException;

  /**
   * Loads a saved model with loading options (e.g. "models": a directory holding the pretrained
   * backbone weights the model needs). Factories without options ignore them.
   */
  default Detector load(Path modelDirectory, Map<String, Object> options) throws ModelException {
    return load(modelDirectory);
  }
}
