package io.vigil.detector.efficientad.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.ModelException;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.model.BackboneLookup;
import io.vigil.detector.common.model.ModelDirectories;
import io.vigil.detector.common.model.ModelDocument;
import io.vigil.detector.common.model.ModelFormatException;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

/** Loads saved EfficientAD models, checking the weights' checksum and that this station's backbone is the one trained on. */
final class EfficientAdModels {
  private final DeepLearningEngine engine;
  private final BackboneLookup backbones;

  EfficientAdModels(DeepLearningEngine engine, Supplier<List<BackboneFactory>> backbones) {
    this.engine = engine;
    this.backbones = new BackboneLookup(backbones);
  }

  BackboneLookup backbones() {
    return backbones;
  }

  static boolean looksLikeModel(Path directory) {
    return ModelDirectories.looksLikeModel(directory, EfficientAdMetadata.FILE, EfficientAdMetadata.ALGORITHM);
  }

  /** Reads a model directory's document and checks the weights file against it. */
  static EfficientAdMetadata readMetadata(Path directory) throws ModelException {
    String json = ModelDocument.read(directory, EfficientAdMetadata.FILE);
    EfficientAdMetadata metadata;
    try {
      metadata = EfficientAdMetadata.fromJson(json, directory.resolve(EfficientAdMetadata.FILE).toString());
    } catch (ModelFormatException e) {
      throw new ModelException(e.getMessage(), e);
    }
    ModelDirectories.checkWeights(directory, EfficientAdMetadata.WEIGHTS_FILE, EfficientAdMetadata.FILE,
        metadata.weightsSha256());
    return metadata;
  }

  EfficientAdDetector load(Path directory, String nameOverride, Path modelsDirectory) throws ModelException {
    EfficientAdMetadata metadata = readMetadata(directory);
    Backbone backbone =
        backbones.backboneOf(directory, metadata.backboneName(), metadata.backboneSha256(), modelsDirectory);
    NDManager manager;
    try {
      manager = engine.newManager();
    } catch (EngineUnavailableException e) {
      backbone.close();
      throw new ModelException(e.getMessage(), e);
    }
    EfficientAdParameters p = metadata.parameters();
    Path weights = directory.resolve(EfficientAdMetadata.WEIGHTS_FILE);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
      TeacherFeatures teacherFeatures = TeacherFeatures.of(backbone, p.teacherTaps(), p.inputSize());
      EfficientAdNetworks networks = new EfficientAdNetworks(p.inputSize(), teacherFeatures.channels(),
          teacherFeatures.stride(), p.studentChannels(), p.autoencoderChannels(), p.teacherNetworkWidth(), p.studentContext());
      networks.initialize(manager);
      networks.load(manager, in);
      EfficientAdInference inference = new EfficientAdInference(backbone, teacherFeatures, p, networks, metadata.teacher(), manager);
      inference.setNormalization(metadata.maps().counting(p.mapParts()));
      String name = nameOverride != null && !nameOverride.isBlank() ? nameOverride : metadata.name();
      return new EfficientAdDetector(name, metadata, directory, inference, networks);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      manager.close();
      backbone.close();
      throw new ModelException("cannot load " + weights + ": " + e.getMessage(), e);
    }
  }
}
