package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.ModelException;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Loads saved SimpleNet models, checking that this station's backbone is the one trained on. */
final class SimpleNetModels {
  /** Right after start-up the backbone bundle may not have registered its factory yet. */
  private static final long STARTING_BUNDLE_GRACE_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

  private final DeepLearningEngine engine;
  private final Supplier<List<BackboneFactory>> backbones;

  SimpleNetModels(DeepLearningEngine engine, Supplier<List<BackboneFactory>> backbones) {
    this.engine = engine;
    this.backbones = backbones;
  }

  /** The named backbone, loaded; waits a moment for a backbone bundle that is still starting. */
  Backbone backbone(String name, Path modelsDirectory) throws BackboneException {
    long deadline = System.nanoTime() + STARTING_BUNDLE_GRACE_NANOS;
    while (true) {
      for (BackboneFactory factory : backbones.get()) {
        if (factory.name().equals(name)) {
          return factory.load(modelsDirectory);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new BackboneException("backbone '" + name + "' is not installed on this station; installed: "
            + backbones.get().stream().map(BackboneFactory::name).toList());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackboneException("interrupted while waiting for backbone '" + name + "'", e);
      }
    }
  }

  SimpleNetDetector load(Path directory, String nameOverride, Path modelsDirectory) throws ModelException {
    ModelMetadata metadata = ModelStore.readMetadata(directory);
    Backbone backbone;
    try {
      backbone = backbone(metadata.backboneName(), modelsDirectory);
    } catch (BackboneException e) {
      throw new ModelException("model " + directory + " needs backbone '" + metadata.backboneName() + "': " + e.getMessage(), e);
    }
    if (!backbone.weightsSha256().equals(metadata.backboneSha256())) {
      String actual = backbone.weightsSha256();
      backbone.close();
      throw new ModelException("model " + directory + " was trained on " + metadata.backboneName() + " weights with sha256 "
          + metadata.backboneSha256() + ", but this station's weights have sha256 " + actual
          + ": its scores would not mean the same. Install the same weights file or retrain.");
    }
    NDManager manager;
    try {
      manager = engine.newManager();
    } catch (EngineUnavailableException e) {
      backbone.close();
      throw new ModelException(e.getMessage(), e);
    }
    SimpleNetInference inference = new SimpleNetInference(backbone, metadata.parameters(), manager);
    try {
      SimpleNetParameters p = metadata.parameters();
      SimpleNetNetwork network = new SimpleNetNetwork(p.embeddingDimension(), p.discriminatorHidden());
      network.initialize(manager);
      ModelStore.loadWeights(directory, network, manager);
      inference.setScorer(network.fold(manager));
      String name = nameOverride != null && !nameOverride.isBlank() ? nameOverride : metadata.name();
      return new SimpleNetDetector(name, metadata, directory, inference);
    } catch (ModelException | RuntimeException e) {
      inference.close();
      throw e instanceof ModelException m ? m : new ModelException("cannot load " + directory + ": " + e.getMessage(), e);
    }
  }
}
