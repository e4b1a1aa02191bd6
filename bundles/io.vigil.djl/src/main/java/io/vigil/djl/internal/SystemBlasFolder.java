package io.vigil.djl.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;

/**
 * Native MXNet beside the machine's OpenBLAS. mxnet-native-mkl ships an old OpenBLAS whose
 * matrix products run at a tenth of what a current one does on the same CPU; libmxnet.so finds
 * its libraries through its RPATH ($ORIGIN), so a folder holding DJL's libmxnet.so (and its
 * gomp/gfortran/quadmath) with libopenblas.so.0 linked to the system's library makes MXNet use
 * the system's BLAS. DJL loads libmxnet.so from the folder named by MXNET_LIBRARY_PATH. (An
 * LD_PRELOAD of the system library into the JVM crashes it instead.)
 */
final class SystemBlasFolder {
  /** The soname libmxnet.so asks for. */
  static final String OPENBLAS = "libopenblas.so.0";
  /** Where DJL's native jar keeps its libraries and their list. */
  static final String NATIVE_RESOURCES = "native/lib/";
  /** The folder's name ends with this: it is ours to replace. */
  static final String FOLDER_SUFFIX = "-system-openblas";

  /** Debian/Ubuntu (libopenblas0-pthread, libopenblas0-openmp), Fedora/RHEL, Arch. */
  static final List<Path> SEARCHED = List.of(
      Path.of("/usr/lib/x86_64-linux-gnu/libopenblas.so.0"),
      Path.of("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblas.so.0"),
      Path.of("/usr/lib/x86_64-linux-gnu/openblas-openmp/libopenblas.so.0"),
      Path.of("/usr/lib64/libopenblas.so.0"),
      Path.of("/usr/lib64/libopenblasp.so.0"),
      Path.of("/usr/lib/libopenblas.so.0"));

  private SystemBlasFolder() {}

  /** The configured library if given, else the first of {@link #SEARCHED} that exists. */
  static Optional<Path> findSystemOpenBlas(String configured, List<Path> searched) {
    if (configured != null && !configured.isBlank()) {
      Path path = Path.of(configured.trim());
      return Files.isReadable(path) ? Optional.of(path.toAbsolutePath()) : Optional.empty();
    }
    return searched.stream().filter(Files::isReadable).findFirst();
  }

  /**
   * Builds (or refreshes) {@code engineCache/<version>-<classifier>-system-openblas}: the native
   * libraries listed in {@code native/lib/mxnet.properties} are extracted from {@code natives}
   * once, except the bundled OpenBLAS, whose name links to {@code openBlas}. Safe when several
   * processes do it at once: files appear under their name only when complete.
   *
   * @return the folder, for MXNET_LIBRARY_PATH
   */
  static Path prepare(Path engineCache, ClassLoader natives, Path openBlas) throws IOException {
    Properties properties = new Properties();
    try (InputStream in = natives.getResourceAsStream(NATIVE_RESOURCES + "mxnet.properties")) {
      if (in == null) {
        throw new IOException(NATIVE_RESOURCES + "mxnet.properties is not in this bundle (no native MXNet)");
      }
      properties.load(in);
    }
    String version = properties.getProperty("version", "unknown");
    String classifier = properties.getProperty("classifier", "unknown");
    Path folder = engineCache.resolve(version + "-" + classifier + FOLDER_SUFFIX);
    Files.createDirectories(folder);
    for (String library : libraries(properties)) {
      if (library.equals(OPENBLAS)) {
        continue;
      }
      Path target = folder.resolve(library);
      if (Files.isRegularFile(target)) {
        continue; // extracted by an earlier start; the folder is keyed by the native version
      }
      try (InputStream in = natives.getResourceAsStream(NATIVE_RESOURCES + library)) {
        if (in == null) {
          throw new IOException(NATIVE_RESOURCES + library + " is listed in mxnet.properties but missing");
        }
        Path partial = Files.createTempFile(folder, library, ".partial");
        try {
          Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
          move(partial, target);
        } finally {
          Files.deleteIfExists(partial);
        }
      }
    }
    link(folder.resolve(OPENBLAS), openBlas.toAbsolutePath());
    return folder;
  }

  private static List<String> libraries(Properties properties) {
    List<String> libraries = new ArrayList<>();
    for (String name : properties.getProperty("libraries", "").split(",")) {
      if (!name.isBlank()) {
        libraries.add(name.trim());
      }
    }
    if (!libraries.contains("libmxnet.so")) {
      libraries.add("libmxnet.so");
    }
    return libraries;
  }

  /** Points {@code link} at {@code target}, replacing whatever was there in one rename. */
  private static void link(Path link, Path target) throws IOException {
    if (Files.isSymbolicLink(link) && Files.readSymbolicLink(link).equals(target)) {
      return;
    }
    Path partial = link.resolveSibling(link.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
    Files.deleteIfExists(partial);
    Files.createSymbolicLink(partial, target);
    try {
      move(partial, link);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException | FileAlreadyExistsException e) {
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }
}
