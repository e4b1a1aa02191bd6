package io.vigil.detector.simplenet.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.ModelException;
import io.vigil.detector.common.model.ModelDirectories;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A SimpleNet model is a directory: model.json and weights.djl, written and checked by the
 * shared {@link ModelDirectories} (atomic, never over another model, weights by sha256).
 */
final class ModelStore {
  private ModelStore() {}

  static boolean looksLikeModel(Path directory) {
    return ModelDirectories.looksLikeModel(directory, ModelMetadata.FILE, ModelMetadata.ALGORITHM);
  }

  /** Refuses a target that holds anything: training never overwrites a model. */
  static void checkTarget(Path directory) throws IOException {
    ModelDirectories.checkTarget(directory);
  }

  static void save(Path directory, SimpleNetNetwork network, ModelMetadataBuilder metadata) throws IOException {
    ModelDirectories.writeAtomically(directory, partial -> {
      Path weights = partial.resolve(ModelMetadata.WEIGHTS_FILE);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weights)))) {
        network.save(out);
      }
      ModelMetadata complete = metadata.withWeightsSha256(ModelDirectories.sha256(weights));
      Files.writeString(partial.resolve(ModelMetadata.FILE), complete.toJson(), StandardCharsets.UTF_8);
    });
  }

  /** Reads a model directory's document and checks its weights' integrity. */
  static ModelMetadata readMetadata(Path directory) throws ModelException {
    Path document = directory.resolve(ModelMetadata.FILE);
    if (!Files.isRegularFile(document)) {
      throw new ModelException(directory + " holds no model: " + ModelMetadata.FILE + " missing");
    }
    try {
      ModelMetadata metadata = ModelMetadata.fromJson(Files.readString(document, StandardCharsets.UTF_8), document.toString());
      ModelDirectories.checkWeights(directory, ModelMetadata.WEIGHTS_FILE, ModelMetadata.FILE, metadata.weightsSha256());
      return metadata;
    } catch (ModelMetadata.ModelFormatException e) {
      throw new ModelException(e.getMessage(), e);
    } catch (IOException e) {
      throw new ModelException("cannot read model " + directory + ": " + e.getMessage(), e);
    }
  }

  static void loadWeights(Path directory, SimpleNetNetwork network, NDManager manager) throws ModelException {
    Path weights = directory.resolve(ModelMetadata.WEIGHTS_FILE);
    try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(weights)))) {
      network.load(manager, in);
    } catch (IOException | MalformedModelException | RuntimeException e) {
      throw new ModelException("cannot load " + weights + ": " + e.getMessage(), e);
    }
  }

  /** The metadata before the weights' checksum is known. */
  interface ModelMetadataBuilder {
    ModelMetadata withWeightsSha256(String sha256);
  }
}
