package io.vigil.djl.internal;

import ai.djl.engine.Engine;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts DJL's MXNet engine on its own thread as the bundle activates, with this bundle's class
 * loader as context class loader (DJL finds engines and native/lib/mxnet.properties through it).
 * Callers wait for the start with a timeout and get the reason when it failed.
 */
@Component(
    name = "io.vigil.djl.engine",
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true)
@Designate(ocd = EngineConfiguration.class)
public class MxnetEngineService implements DeepLearningEngine {
  static final String ENGINE_NAME = "MXNet";
  private static final Logger LOG = LoggerFactory.getLogger(MxnetEngineService.class);

  private final ClassLoader engineClassLoader = MxnetEngineService.class.getClassLoader();
  private final CompletableFuture<Engine> started = new CompletableFuture<>();
  private final int timeoutSeconds;
  private final String blas;
  private volatile boolean deactivated;

  @Activate
  public MxnetEngineService(EngineConfiguration configuration) {
    this(configuration.startup_timeout_seconds(), applySettings(configuration), () -> Engine.getEngine(ENGINE_NAME));
  }

  /**
   * DJL reads its settings when the engine starts, so they are set (and the BLAS folder prepared)
   * before the start-up thread runs.
   *
   * @return which BLAS the engine will use
   */
  private static String applySettings(EngineConfiguration configuration) {
    EngineSettings.apply(configuration.native_cache_dir(), configuration.offline(), configuration.threads());
    return EngineSettings.applyBlas(configuration.blas(), configuration.blas_library(),
        MxnetEngineService.class.getClassLoader(), System::getenv, SystemBlasFolder.SEARCHED, EngineSettings::tryLoad);
  }

  /** Starts {@code engineStarter} on a thread of its own; callers wait at most {@code timeoutSeconds}. */
  MxnetEngineService(int timeoutSeconds, String blas, Callable<Engine> engineStarter) {
    this.timeoutSeconds = Math.max(1, timeoutSeconds);
    this.blas = blas;
    Thread starter = new Thread(() -> start(engineStarter), "vigil-djl-engine-start");
    starter.setDaemon(true);
    starter.start();
  }

  private void start(Callable<Engine> engineStarter) {
    long begin = System.nanoTime();
    try {
      Engine engine = withEngineClassLoader(engineStarter);
      LOG.info("{} in {} ms", describe(engine), (System.nanoTime() - begin) / 1_000_000);
      started.complete(engine);
    } catch (Throwable e) { // NOPMD: an UnsatisfiedLinkError must reach the callers too
      if (!deactivated) { // when the framework stops mid start-up there is nobody to tell
        LOG.error("The {} engine did not start: {}", ENGINE_NAME, reason(e));
      }
      started.completeExceptionally(e);
    }
  }

  @Deactivate
  void deactivate() {
    deactivated = true;
  }

  @Override
  public Engine engine() throws EngineUnavailableException {
    try {
      return started.get(timeoutSeconds, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new EngineUnavailableException("The " + ENGINE_NAME + " engine did not start within " + timeoutSeconds
          + " s (configuration io.vigil.djl.engine, startup.timeout.seconds)", e);
    } catch (ExecutionException e) {
      throw new EngineUnavailableException("The " + ENGINE_NAME + " engine could not start: " + reason(e.getCause())
          + ". Native MXNet comes from the mxnet-native-mkl jar embedded in io.vigil.djl (linux-x86_64 only) and is "
          + "extracted to " + EngineSettings.nativeCacheDescription() + "; check that directory is writable.", e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new EngineUnavailableException("interrupted while waiting for the " + ENGINE_NAME + " engine", e);
    }
  }

  @Override
  public <T> T withEngineClassLoader(Callable<T> work) throws Exception {
    Thread thread = Thread.currentThread();
    ClassLoader previous = thread.getContextClassLoader();
    thread.setContextClassLoader(engineClassLoader);
    try {
      return work.call();
    } finally {
      thread.setContextClassLoader(previous);
    }
  }

  @Override
  public String description() {
    if (!started.isDone()) {
      return ENGINE_NAME + " (starting)";
    }
    try {
      return describe(started.getNow(null));
    } catch (RuntimeException e) {
      return ENGINE_NAME + " (failed: " + reason(e.getCause() != null ? e.getCause() : e) + ")";
    }
  }

  private String describe(Engine engine) {
    String loaded = EngineSettings.loadedOpenBlas().map(file -> ", BLAS in use " + file).orElse("");
    return engine.getEngineName() + " " + engine.getVersion() + " (DJL " + Engine.getDjlVersion() + "), " + blas
        + loaded + ", native cache " + EngineSettings.nativeCacheDescription();
  }

  static String reason(Throwable e) {
    StringBuilder reason = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (reason.length() > 0) {
        reason.append(": ");
      }
      reason.append(t.getMessage() != null ? t.getMessage() : t.getClass().getSimpleName());
    }
    return reason.toString();
  }
}
