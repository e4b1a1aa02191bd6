package io.vigil.detector.simplenet.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.ModelException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A model is a directory: model.json and weights.djl. It is written beside its final place and
 * moved there in one step, so a crash or Ctrl-C leaves the whole model or none.
 */
final class ModelStore {
  private ModelStore() {}

  static boolean looksLikeModel(Path directory) {
    Path document = directory.resolve(ModelMetadata.FILE);
    if (!Files.isRegularFile(document)) {
      return false;
    }
    try {
      String json = Files.readString(document, StandardCharsets.UTF_8);
      return json.contains("\"algorithm\": \"" + ModelMetadata.ALGORITHM + "\"");
    } catch (IOException e) {
      return false;
    }
  }

  /** Refuses a target that holds anything: training never overwrites a model. */
  static void checkTarget(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (Stream<Path> entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new FileAlreadyExistsException(directory.toString(), null,
              "not empty; choose a new model directory or remove this one");
        }
      } catch (java.nio.file.NotDirectoryException e) {
        throw new FileAlreadyExistsException(directory.toString(), null, "is a file");
      }
    }
  }

  static void save(Path directory, SimpleNetNetwork network, ModelMetadataBuilder metadata) throws IOException {
    checkTarget(directory);
    Path parent = directory.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempDirectory(parent, "." + directory.getFileName() + ".partial-");
    try {
      Path weights = partial.resolve(ModelMetadata.WEIGHTS_FILE);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weights)))) {
        network.save(out);
      }
      ModelMetadata complete = metadata.withWeightsSha256(sha256(weights));
      Files.writeString(partial.resolve(ModelMetadata.FILE), complete.toJson(), StandardCharsets.UTF_8);
      if (Files.isDirectory(directory)) {
        Files.delete(directory); // empty, checked above
      }
      try {
        Files.move(partial, directory, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(partial, directory);
      }
    } finally {
      deleteRecursively(partial);
    }
  }

  /** Reads a model directory's document and checks its weights' integrity. */
  static ModelMetadata readMetadata(Path directory) throws ModelException {
    Path document = directory.resolve(ModelMetadata.FILE);
    if (!Files.isRegularFile(document)) {
      throw new ModelException(directory + " holds no model: " + ModelMetadata.FILE + " missing");
    }
    try {
      ModelMetadata metadata = ModelMetadata.fromJson(Files.readString(document, StandardCharsets.UTF_8), document.toString());
      Path weights = directory.resolve(ModelMetadata.WEIGHTS_FILE);
      if (!Files.isRegularFile(weights)) {
        throw new ModelException(directory + " is incomplete: " + ModelMetadata.WEIGHTS_FILE + " missing");
      }
      String actual = sha256(weights);
      if (!actual.equals(metadata.weightsSha256())) {
        throw new ModelException(weights + " does not match " + ModelMetadata.FILE + " (sha256 " + actual
            + ", expected " + metadata.weightsSha256() + "): the model was changed or damaged");
      }
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

  static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(java.io.OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  /** The metadata before the weights' checksum is known. */
  interface ModelMetadataBuilder {
    ModelMetadata withWeightsSha256(String sha256);
  }
}
