package io.vigil.detector.common.model;

import io.vigil.api.detector.ModelException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.stream.Stream;

/**
 * A model is a directory: a JSON document and weight files. It is written beside its final place
 * and moved there in one step, so a crash or Ctrl-C leaves the whole model or none; training never
 * overwrites a model; weights are checked against the sha256 the document records.
 */
public final class ModelDirectories {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ModelDirectories.class);
  private ModelDirectories() {}

  /** Writes a model's files into an empty directory (the one that becomes the model). */
  @FunctionalInterface
  public interface ModelWriter {
    void writeInto(Path partialDirectory) throws IOException;
  }

  /**
   * Whether {@code directory} holds a document {@code documentFile} of {@code algorithm}: a cheap
   * look at the text, for factories deciding whose model it is.
   */
  public static boolean looksLikeModel(Path directory, String documentFile, String algorithm) {
    Path document = directory.resolve(documentFile);
    if (!Files.isRegularFile(document)) {
      return false;
    }
    try {
      String json = Files.readString(document, StandardCharsets.UTF_8);
      return json.contains("\"algorithm\": \"" + algorithm + "\"");
    } catch (IOException e) {
      return false;
    }
  }

  /** Refuses a target that holds anything: training never overwrites a model. */
  public static void checkTarget(Path directory) throws IOException {
    if (Files.exists(directory)) {
      try (Stream<Path> entries = Files.list(directory)) {
        if (entries.findAny().isPresent()) {
          throw new FileAlreadyExistsException(directory.toString(), null,
              "not empty; choose a new model directory or remove this one");
        }
      } catch (NotDirectoryException e) {
        throw new FileAlreadyExistsException(directory.toString(), null, "is a file");
      }
    }
  }

  /**
   * Lets {@code writer} fill a hidden sibling directory ({@code .NAME.partial-PID-RANDOM}), then
   * moves it to {@code directory} in one step (atomically where the file system can). Nothing is
   * left behind on failure; a process killed while writing (power cut, {@code kill -9}) leaves only
   * the hidden sibling, which is no model (its document is written last) and which the next write
   * beside it removes once its process is gone. A failure names the free space (a full disk).
   */
  public static void writeAtomically(Path directory, ModelWriter writer) throws IOException {
    checkTarget(directory);
    Path parent = directory.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    removeAbandonedPartials(parent, directory.getFileName().toString());
    Path partial = createPartial(parent, directory.getFileName().toString());
    try {
      try {
        writer.writeInto(partial);
      } catch (IOException e) {
        if (e instanceof java.nio.channels.ClosedByInterruptException) {
          throw e; // Ctrl-C, not a disk problem
        }
        throw new IOException(e.getMessage() + freeSpace(parent) + "; the unfinished model was removed", e);
      }
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

  private static final java.util.regex.Pattern PARTIAL = java.util.regex.Pattern.compile("\\.partial-(\\d+)-[0-9a-z]+");

  /** {@code .NAME.partial-PID-RANDOM}, with the permissions of any new directory (a model is read by others). */
  private static Path createPartial(Path parent, String name) throws IOException {
    java.security.SecureRandom random = new java.security.SecureRandom();
    for (int attempt = 0; ; attempt++) {
      Path partial = parent.resolve("." + name + ".partial-" + ProcessHandle.current().pid() + "-"
          + Long.toUnsignedString(random.nextLong(), 36));
      try {
        return Files.createDirectory(partial);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }

  /**
   * Deletes the hidden partial directories of {@code name} in {@code parent} whose writing process
   * is no longer running (killed while writing). One whose process lives (another training into the
   * same place, or a reused process id) is left alone.
   */
  public static void removeAbandonedPartials(Path parent, String name) {
    String prefix = "." + name;
    try (Stream<Path> siblings = Files.list(parent)) {
      for (Path sibling : siblings.toList()) {
        String file = sibling.getFileName().toString();
        if (!file.startsWith(prefix)) {
          continue;
        }
        java.util.regex.Matcher matcher = PARTIAL.matcher(file.substring(prefix.length()));
        if (!matcher.matches()) {
          continue;
        }
        long pid = Long.parseLong(matcher.group(1));
        if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
          continue;
        }
        try {
          deleteRecursively(sibling);
          LOG.info("Removed {}, left by process {} that stopped while writing a model", sibling, pid);
        } catch (IOException e) {
          LOG.warn("Cannot remove {} (left by a stopped process): {}", sibling, e.getMessage());
        }
      }
    } catch (IOException | NumberFormatException e) {
      // Nothing to clean, or a folder not listable: the write itself will say what is wrong.
    }
  }

  /** " (N KiB free on the file system of DIR)", or nothing when that cannot be read. */
  public static String freeSpace(Path directory) {
    try {
      long free = Files.getFileStore(directory).getUsableSpace();
      return " (" + (free >= 1 << 20 ? free / (1 << 20) + " MiB" : free / 1024 + " KiB") + " free on the file system of "
          + directory + ")";
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /**
   * Checks that {@code weightsFile} exists in {@code directory} and has the sha256 the model's
   * document recorded, saying which file and why otherwise.
   */
  public static void checkWeights(Path directory, String weightsFile, String documentFile, String expectedSha256)
      throws ModelException {
    Path weights = directory.resolve(weightsFile);
    if (!Files.isRegularFile(weights)) {
      throw new ModelException(directory + " is incomplete: " + weightsFile + " missing");
    }
    String actual;
    try {
      actual = sha256(weights);
    } catch (IOException e) {
      throw new ModelException("cannot read model " + directory + ": " + e.getMessage(), e);
    }
    if (!actual.equals(expectedSha256)) {
      throw new ModelException(weights + " does not match " + documentFile + " (sha256 " + actual
          + ", expected " + expectedSha256 + "): the model was changed or damaged");
    }
  }

  public static String sha256(Path file) throws IOException {
    try (InputStream in = new DigestInputStream(Files.newInputStream(file), MessageDigest.getInstance("SHA-256"))) {
      in.transferTo(OutputStream.nullOutputStream());
      return HexFormat.of().formatHex(((DigestInputStream) in).getMessageDigest().digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  public static void deleteRecursively(Path path) throws IOException {
    if (!Files.exists(path)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(path)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
