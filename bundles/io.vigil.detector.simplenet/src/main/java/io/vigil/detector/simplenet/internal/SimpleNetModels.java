package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.ModelException;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.model.BackboneLookup;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Loads saved SimpleNet models, checking that this station's backbone is the one trained on. */
final class SimpleNetModels {
  private final DeepLearningEngine engine;
  private final BackboneLookup backbones;

  SimpleNetModels(DeepLearningEngine engine, Supplier<List<BackboneFactory>> backbones) {
    this.engine = engine;
    this.backbones = new BackboneLookup(backbones);
  }

  /** The named backbone, loaded; waits a moment for a backbone bundle that is still starting. */
  Backbone backbone(String name, Path modelsDirectory) throws BackboneException {
    return backbones.backbone(name, modelsDirectory);
  }

  BackboneLookup backbones() {
    return backbones;
  }

  SimpleNetDetector load(Path directory, String nameOverride, Path modelsDirectory) throws ModelException {
    ModelMetadata metadata = ModelStore.readMetadata(directory);
    Backbone backbone = backbones.backboneOf(directory, metadata.backboneName(), metadata.backboneSha256(), modelsDirectory);
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
      SimpleNetNetwork network = new SimpleNetNetwork(metadata.embeddingDimension(), p.discriminatorHidden());
      // The network's own parameters are needed only to fold: scoring uses the folded arrays.
      try (NDManager parameters = manager.newSubManager()) {
        network.initialize(parameters);
        ModelStore.loadWeights(directory, network, parameters);
        inference.setScorer(network.fold(manager, metadata.standardization()));
      }
      String name = nameOverride != null && !nameOverride.isBlank() ? nameOverride : metadata.name();
      return new SimpleNetDetector(name, metadata, directory, inference);
    } catch (ModelException | RuntimeException e) {
      inference.close();
      throw e instanceof ModelException m ? m : new ModelException("cannot load " + directory + ": " + e.getMessage(), e);
    }
  }
}
