package io.vigil.backbone.internal;

import io.vigil.backbone.BackboneException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Finds a pretrained weights file: an explicit directory, then {@code VIGIL_MODEL_PATH}, then
 * {@code ~/.vigil/models}, then a download checked against its sha256. When all fail the error
 * names the file, every place looked and why the download failed.
 */
final class ModelFiles {
  static final String MODEL_PATH_VARIABLE = "VIGIL_MODEL_PATH";

  /** A file to find: its name, expected sha256 (null: any content), and where it can be downloaded. */
  record Wanted(String fileName, String sha256, URI source, String what) {}

  private final List<Path> searchPath;
  private final Path downloadDirectory;
  private final boolean downloadAllowed;
  private final Duration downloadTimeout;

  ModelFiles(List<Path> searchPath, Path downloadDirectory, boolean downloadAllowed, Duration downloadTimeout) {
    this.searchPath = List.copyOf(searchPath);
    this.downloadDirectory = downloadDirectory;
    this.downloadAllowed = downloadAllowed;
    this.downloadTimeout = downloadTimeout;
  }

  /** The standard search path: explicit directories first, then VIGIL_MODEL_PATH, then ~/.vigil/models. */
  static List<Path> standardSearchPath(List<Path> explicitDirectories, String modelPathVariable, Path home) {
    List<Path> path = new ArrayList<>(explicitDirectories);
    if (modelPathVariable != null) {
      for (String entry : modelPathVariable.split(File.pathSeparator)) {
        if (!entry.isBlank()) {
          path.add(Path.of(entry.trim()));
        }
      }
    }
    path.add(home.resolve(".vigil").resolve("models"));
    return path;
  }

  /**
   * The file's location, found (each directory and its direct subdirectories are searched) or
   * downloaded.
   */
  Path locate(Wanted wanted) throws BackboneException {
    List<String> mismatches = new ArrayList<>();
    for (Path directory : searchPath) {
      for (Path candidate : candidates(directory, wanted.fileName())) {
        if (wanted.sha256() == null) {
          return candidate;
        }
        try {
          String actual = sha256(candidate);
          if (actual.equalsIgnoreCase(wanted.sha256())) {
            return candidate;
          }
          mismatches.add(candidate + " has sha256 " + actual);
        } catch (IOException e) {
          mismatches.add(candidate + " is unreadable (" + e.getMessage() + ")");
        }
      }
    }
    String downloadFailure;
    if (!downloadAllowed) {
      downloadFailure = "downloads are switched off";
    } else {
      try {
        return download(wanted);
      } catch (IOException e) {
        downloadFailure = "download from " + wanted.source() + " failed: " + e.getMessage();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        downloadFailure = "download interrupted";
      }
    }
    StringBuilder message = new StringBuilder()
        .append(wanted.what()).append(" not found: need file '").append(wanted.fileName()).append("'");
    if (wanted.sha256() != null) {
      message.append(" (sha256 ").append(wanted.sha256()).append(")");
    }
    message.append(". Looked in: ").append(searchPath).append('.');
    if (!mismatches.isEmpty()) {
      message.append(" Wrong content: ").append(String.join("; ", mismatches)).append('.');
    }
    message.append(" Then ").append(downloadFailure).append(". Put the file into one of those directories (e.g. ")
        .append(downloadDirectory).append("), set ").append(MODEL_PATH_VARIABLE)
        .append(", or pass --models DIR. Source: ").append(wanted.source());
    throw new BackboneException(message.toString());
  }

  private static List<Path> candidates(Path directory, String fileName) {
    List<Path> found = new ArrayList<>();
    if (Files.isRegularFile(directory.resolve(fileName))) {
      found.add(directory.resolve(fileName));
    }
    if (Files.isDirectory(directory)) {
      try (var children = Files.list(directory)) {
        children.filter(Files::isDirectory).sorted().map(d -> d.resolve(fileName)).filter(Files::isRegularFile)
            .forEach(found::add);
      } catch (IOException e) {
        // An unreadable directory holds nothing we can use.
      }
    }
    return found;
  }

  /** Downloads into the download directory: a temporary file, checked, then moved into place. */
  Path download(Wanted wanted) throws IOException, InterruptedException {
    Files.createDirectories(downloadDirectory);
    Path target = downloadDirectory.resolve(wanted.fileName());
    Path partial = Files.createTempFile(downloadDirectory, wanted.fileName(), ".part");
    try {
      fetch(wanted.source(), partial);
      if (wanted.sha256() != null) {
        String actual = sha256(partial);
        if (!actual.equalsIgnoreCase(wanted.sha256())) {
          throw new IOException("downloaded file has sha256 " + actual + ", expected " + wanted.sha256());
        }
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      return target;
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private void fetch(URI source, Path into) throws IOException, InterruptedException {
    if ("file".equals(source.getScheme())) {
      Files.copy(Path.of(source), into, StandardCopyOption.REPLACE_EXISTING);
      return;
    }
    HttpClient client = HttpClient.newBuilder()
        .connectTimeout(downloadTimeout)
        .followRedirects(HttpClient.Redirect.NORMAL)
        .build();
    HttpRequest request = HttpRequest.newBuilder(source).timeout(downloadTimeout).GET().build();
    HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    try (InputStream body = response.body()) {
      if (response.statusCode() != 200) {
        throw new IOException("HTTP " + response.statusCode());
      }
      Files.copy(body, into, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  static String sha256(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      byte[] buffer = new byte[1 << 16];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
      return HexFormat.of().formatHex(digest.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
