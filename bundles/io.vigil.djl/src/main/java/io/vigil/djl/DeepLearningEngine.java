package io.vigil.djl;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.util.concurrent.Callable;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The started DJL engine. Getting it waits for start-up (native library extraction takes a few
 * seconds the first time) and fails with the reason instead of hanging.
 */
@ProviderType
public interface DeepLearningEngine {

  /**
   * The engine, once started.
   *
   * @throws EngineUnavailableException when it could not start (with the reason), or did not
   *     start within the configured time
   */
  Engine engine() throws EngineUnavailableException;

  /** A new root manager on the engine; the caller closes it. */
  default NDManager newManager() throws EngineUnavailableException {
    return engine().newBaseManager();
  }

  /**
   * Arrays alive on every manager of the engine: the whole tree under the root manager that
   * {@link #newManager()}'s managers hang from. What scoring or training forgets to close shows as
   * growth here (leak checks, {@code ./vigil soak}). It walks the tree: call it every few seconds,
   * not per frame.
   *
   * @since 1.1
   */
  default long liveArrays() throws EngineUnavailableException {
    try (NDManager probe = newManager()) {
      NDManager root = probe;
      while (root.getParentManager() != null && root.getParentManager() != root) {
        root = root.getParentManager();
      }
      return root.getManagedArrays().size();
    }
  }

  /**
   * Runs {@code work} with the engine's class loader as the thread's context class loader. DJL
   * finds model zoos, translators and native resources through the context class loader, which
   * inside OSGi would otherwise be the caller's bundle.
   */
  <T> T withEngineClassLoader(Callable<T> work) throws Exception;

  /** For logs and {@code ./vigil} output, e.g. "MXNet 1.9.1 (DJL 0.36.0), cache /home/u/.djl.ai". */
  String description();
}
