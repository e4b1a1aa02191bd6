package io.vigil.detector.common.service;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.source.ImageSource;
import ai.djl.ndarray.NDManager;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.detector.common.model.BackboneLookup;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.nio.file.Path;
import java.util.Map;
import org.osgi.framework.BundleContext;

/**
 * A detector factory whose models live in model directories: splits the shared options ("name",
 * "models") from the algorithm's settings and registers each model it trains as a Detector
 * service, which it owns. The DS component is the subclass in the detector bundle; it calls
 * {@link #withdrawAll()} when deactivated.
 */
public abstract class ModelDetectorFactory implements DetectorFactory {
  private final String algorithm;
  private final DetectorRegistrations registered;

  protected ModelDetectorFactory(String algorithm, BundleContext context) {
    this.algorithm = algorithm;
    this.registered = new DetectorRegistrations(context);
  }

  @Override
  public final String algorithm() {
    return algorithm;
  }

  @Override
  public final Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    ModelDetector detector = train(goodImages, ModelOptions.of(parameters), modelDirectory, monitor);
    registered.register(detector);
    return detector;
  }

  /** Trains a model into {@code modelDirectory}, named {@code options.nameFor(modelDirectory)}. */
  protected abstract ModelDetector train(ImageSource goodImages, ModelOptions options, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException;

  @Override
  public final Detector load(Path modelDirectory) throws ModelException {
    return load(modelDirectory, Map.of());
  }

  @Override
  public final Detector load(Path modelDirectory, Map<String, Object> options) throws ModelException {
    ModelOptions o = ModelOptions.of(options);
    return load(modelDirectory, o.name(), o.models());
  }

  /**
   * Loads the model saved in {@code modelDirectory}.
   *
   * @param name   the name to give it, or null for the name stored in the model
   * @param models the backbone weights directory, or null for the backbone's own lookup
   */
  protected abstract ModelDetector load(Path modelDirectory, String name, Path models) throws ModelException;

  /** Withdraws the detectors this factory trained and frees them: the component's deactivation. */
  protected final void withdrawAll() {
    registered.close();
  }

  /**
   * What a detector trains once its backbone is loaded: the backbone and a new engine manager
   * become the trained model's.
   *
   * @since 1.1
   */
  @FunctionalInterface
  protected interface BackboneTraining<D> {
    D train(Backbone backbone, NDManager manager)
        throws TrainingException, InterruptedException, EngineUnavailableException;
  }

  /**
   * Loads the named backbone and trains on it; a missing backbone or engine becomes a
   * TrainingException with the reason, and the backbone is closed when the engine is missing.
   *
   * @since 1.1
   */
  protected static <D> D trainOnBackbone(BackboneLookup backbones, String backboneName, Path modelsDirectory,
      DeepLearningEngine engine, BackboneTraining<D> training) throws TrainingException, InterruptedException {
    Backbone backbone;
    try {
      backbone = backbones.backbone(backboneName, modelsDirectory);
    } catch (BackboneException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    try {
      return training.train(backbone, engine.newManager());
    } catch (EngineUnavailableException e) {
      backbone.close();
      throw new TrainingException(e.getMessage(), e);
    }
  }
}
