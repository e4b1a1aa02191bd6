package io.vigil.detector.patchcore.internal;

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

/** Loads saved PatchCore models, checking the bank's checksum and that this station's backbone is the one fitted on. */
final class PatchCoreModels {
  private final DeepLearningEngine engine;
  private final BackboneLookup backbones;

  PatchCoreModels(DeepLearningEngine engine, Supplier<List<BackboneFactory>> backbones) {
    this.engine = engine;
    this.backbones = new BackboneLookup(backbones);
  }

  BackboneLookup backbones() {
    return backbones;
  }

  static boolean looksLikeModel(Path directory) {
    return ModelDirectories.looksLikeModel(directory, PatchCoreMetadata.FILE, PatchCoreMetadata.ALGORITHM);
  }

  /** Reads a model directory's document and checks the bank file against it. */
  static PatchCoreMetadata readMetadata(Path directory) throws ModelException {
    String json = ModelDocument.read(directory, PatchCoreMetadata.FILE);
    PatchCoreMetadata metadata;
    try {
      metadata = PatchCoreMetadata.fromJson(json, directory.resolve(PatchCoreMetadata.FILE).toString());
    } catch (ModelFormatException e) {
      throw new ModelException(e.getMessage(), e);
    }
    ModelDirectories.checkWeights(directory, PatchCoreMetadata.BANK_FILE, PatchCoreMetadata.FILE, metadata.bankSha256());
    if (metadata.projectionSha256() != null) {
      ModelDirectories.checkWeights(directory, PatchCoreMetadata.PROJECTION_FILE, PatchCoreMetadata.FILE,
          metadata.projectionSha256());
    }
    return metadata;
  }

  PatchCoreDetector load(Path directory, String nameOverride, Path modelsDirectory) throws ModelException {
    PatchCoreMetadata metadata = readMetadata(directory);
    Backbone backbone =
        backbones.backboneOf(directory, metadata.backboneName(), metadata.backboneSha256(), modelsDirectory);
    NDManager manager;
    try {
      manager = engine.newManager();
    } catch (EngineUnavailableException e) {
      backbone.close();
      throw new ModelException(e.getMessage(), e);
    }
    MemoryBank bank;
    SearchProjection projection = null;
    Path bankFile = directory.resolve(PatchCoreMetadata.BANK_FILE);
    Path reading = bankFile;
    try {
      if (metadata.projectionSha256() != null) {
        reading = directory.resolve(PatchCoreMetadata.PROJECTION_FILE);
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(reading)))) {
          projection = SearchProjection.read(in);
        }
        reading = bankFile;
      }
      try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(bankFile)))) {
        bank = MemoryBank.read(in, manager.newSubManager(), MemoryBank.DEFAULT_BLOCK_ROWS);
      }
      if (projection != null && projection.outputs() != bank.dimension()) {
        bank.close();
        throw new IOException("the bank has " + bank.dimension() + " values per entry, the projection "
            + projection.outputs());
      }
    } catch (IOException | RuntimeException e) {
      manager.close();
      backbone.close();
      throw new ModelException("cannot load " + reading + ": " + e.getMessage(), e);
    }
    PatchCoreParameters p = metadata.parameters();
    PatchCoreInference inference =
        new PatchCoreInference(new PatchCoreFeatures(backbone, p), p, bank, projection, manager);
    String name = nameOverride != null && !nameOverride.isBlank() ? nameOverride : metadata.name();
    return new PatchCoreDetector(name, metadata, directory, inference);
  }
}
