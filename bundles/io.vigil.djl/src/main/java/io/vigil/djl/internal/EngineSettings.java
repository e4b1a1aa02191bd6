package io.vigil.djl.internal;

import ai.djl.util.Utils;
import com.sun.jna.NativeLibrary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DJL reads its settings from system properties (or the environment) when the engine starts;
 * this is the one place Vigil sets them.
 */
final class EngineSettings {
  /** DJL: never download anything. */
  static final String OFFLINE = "ai.djl.offline";
  /** DJL: no usage telemetry. */
  static final String OPT_OUT_TRACKING = "OPT_OUT_TRACKING";
  /** DJL: where engines extract their native libraries. */
  static final String ENGINE_CACHE_DIR = "ENGINE_CACHE_DIR";
  /** MXNet's OpenMP thread count. */
  static final String OMP_NUM_THREADS = "OMP_NUM_THREADS";
  /** DJL: the folder (or file) libmxnet.so is loaded from instead of extracting the bundled natives. */
  static final String MXNET_LIBRARY_PATH = "MXNET_LIBRARY_PATH";
  static final String BLAS_SYSTEM = "system";
  static final String BLAS_BUNDLED = "bundled";
  private static final Logger LOG = LoggerFactory.getLogger(EngineSettings.class);

  private EngineSettings() {}

  static void apply(String nativeCacheDir, boolean offline, int threads) {
    System.setProperty(OPT_OUT_TRACKING, "true");
    System.setProperty(OFFLINE, Boolean.toString(offline));
    if (nativeCacheDir != null && !nativeCacheDir.isBlank()) {
      System.setProperty(ENGINE_CACHE_DIR, Path.of(nativeCacheDir).toAbsolutePath().toString());
    }
    if (threads > 0) {
      System.setProperty(OMP_NUM_THREADS, Integer.toString(threads));
    }
  }

  static String nativeCacheDescription() {
    String dir = System.getProperty(ENGINE_CACHE_DIR, System.getenv(ENGINE_CACHE_DIR));
    if (dir == null || dir.isBlank()) {
      String djlCache = System.getProperty("DJL_CACHE_DIR", System.getenv("DJL_CACHE_DIR"));
      dir = djlCache != null ? djlCache : Path.of(System.getProperty("user.home"), ".djl.ai").toString();
    }
    return dir;
  }

  /**
   * Chooses the BLAS before the engine starts (DJL reads MXNET_LIBRARY_PATH once, when it loads
   * libmxnet.so). With {@code blas=system} and a loadable system OpenBLAS, a folder of the
   * bundled natives with the system library beside them is prepared in DJL's engine cache and
   * named in MXNET_LIBRARY_PATH; otherwise the bundled natives are used, with a warning that
   * says what to install.
   *
   * @param environment the process environment (a parameter for the tests)
   * @param loadable tries to load a library, giving the reason when it cannot ({@code null} when it can)
   * @return which BLAS the engine will use, for logs and {@code ./vigil benchmark}
   */
  static String applyBlas(String blas, String library, ClassLoader natives, Function<String, String> environment,
      List<Path> searched, Function<Path, String> loadable) {
    String fromEnvironment = environment.apply(MXNET_LIBRARY_PATH);
    if (fromEnvironment != null && !fromEnvironment.isBlank()) {
      LOG.info("{} is set in the environment ({}): native MXNet and its BLAS come from there; blas={} is not used",
          MXNET_LIBRARY_PATH, fromEnvironment, blas);
      return "native MXNet from " + MXNET_LIBRARY_PATH + "=" + fromEnvironment;
    }
    String previous = System.getProperty(MXNET_LIBRARY_PATH);
    if (previous != null && previous.endsWith(SystemBlasFolder.FOLDER_SUFFIX)) {
      System.clearProperty(MXNET_LIBRARY_PATH); // set by an earlier activation: this one decides again
    }
    if (BLAS_BUNDLED.equalsIgnoreCase(blas == null ? "" : blas.trim())) {
      return "bundled OpenBLAS (blas=bundled)";
    }
    if (!BLAS_SYSTEM.equalsIgnoreCase(blas == null ? BLAS_SYSTEM : blas.trim())) {
      LOG.warn("io.vigil.djl.engine: blas={} is neither {} nor {}; using {}", blas, BLAS_SYSTEM, BLAS_BUNDLED,
          BLAS_SYSTEM);
    }
    Optional<Path> openBlas = SystemBlasFolder.findSystemOpenBlas(library, searched);
    if (openBlas.isEmpty()) {
      LOG.warn("No system OpenBLAS found ({}): MXNet falls back to the OpenBLAS bundled with mxnet-native-mkl, "
          + "whose matrix products are several times slower. Install it (Debian/Ubuntu: apt-get install "
          + "libopenblas0-pthread), or set blas.library, or set blas=bundled in io.vigil.djl.engine to silence this.",
          library != null && !library.isBlank() ? "blas.library=" + library + " is not readable"
              : "searched " + searched);
      return "bundled OpenBLAS (fallback: no system OpenBLAS found)";
    }
    String notLoadable = loadable.apply(openBlas.get());
    if (notLoadable != null) {
      LOG.warn("The system OpenBLAS {} does not load ({}): MXNet falls back to the slower bundled OpenBLAS",
          openBlas.get(), notLoadable);
      return "bundled OpenBLAS (fallback: " + openBlas.get() + " does not load)";
    }
    try {
      Path folder = SystemBlasFolder.prepare(Utils.getEngineCacheDir("mxnet"), natives, openBlas.get());
      System.setProperty(MXNET_LIBRARY_PATH, folder.toString());
      return "system OpenBLAS " + realPath(openBlas.get());
    } catch (IOException | RuntimeException e) {
      LOG.warn("Could not prepare native MXNet beside the system OpenBLAS ({}): MXNet falls back to the slower "
          + "bundled OpenBLAS", e.toString());
      return "bundled OpenBLAS (fallback: " + e.getMessage() + ")";
    }
  }

  /**
   * The OpenBLAS file mapped into this process, from /proc/self/maps (Linux): what MXNet really
   * uses, whatever the configuration said (DJL loads native MXNet once per process).
   */
  static Optional<String> loadedOpenBlas(List<String> maps) {
    for (String line : maps) {
      int slash = line.indexOf('/');
      if (slash >= 0 && line.substring(line.lastIndexOf('/') + 1).startsWith("libopenblas")) {
        return Optional.of(line.substring(slash).trim());
      }
    }
    return Optional.empty();
  }

  static Optional<String> loadedOpenBlas() {
    try {
      return loadedOpenBlas(java.nio.file.Files.readAllLines(Path.of("/proc/self/maps")));
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }

  /** Loads the library into the process: what MXNet would do with it a moment later. */
  static String tryLoad(Path library) {
    try {
      NativeLibrary.getInstance(library.toString());
      return null;
    } catch (UnsatisfiedLinkError | RuntimeException e) {
      String message = String.valueOf(e.getMessage());
      int line = message.indexOf('\n');
      return line < 0 ? message : message.substring(0, line); // JNA appends every place it looked
    }
  }

  private static Path realPath(Path path) {
    try {
      return path.toRealPath();
    } catch (IOException e) {
      return path;
    }
  }
}
