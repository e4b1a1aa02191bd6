package io.vigil.djl.internal;

import java.nio.file.Path;

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
}
