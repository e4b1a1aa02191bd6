package io.vigil.inspection.internal;

import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.Evaluator;
import java.time.Duration;
import java.util.Set;
import org.osgi.framework.BundleContext;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Evaluator}: runs {@link Evaluation}s on the caller's thread with the detector
 * factories, data set formats, metrics and report writers registered at the time. When the
 * bundle stops (Ctrl-C stops the framework) running evaluations are interrupted and given time
 * to delete their unfinished output.
 */
@Component(name = EvaluationService.PID, configurationPolicy = org.osgi.service.component.annotations.ConfigurationPolicy.OPTIONAL)
@Designate(ocd = EvaluatorConfiguration.class)
public class EvaluationService implements Evaluator {
  static final String PID = "io.vigil.inspection.evaluation";
  private static final Logger LOG = LoggerFactory.getLogger(EvaluationService.class);
  private static final long SHUTDOWN_GRACE_SECONDS = 10;

  private final BundleContext context;
  private final Set<Thread> running = ConcurrentHashMap.newKeySet();
  private volatile Duration serviceWait = Duration.ofSeconds(10);
  private volatile Set<String> requiredWriters = Set.of();

  @Activate
  public EvaluationService(BundleContext context, EvaluatorConfiguration configuration) {
    this.context = context;
    configure(configuration);
  }

  @Modified
  void configure(EvaluatorConfiguration configuration) {
    serviceWait = Duration.ofSeconds(Math.max(0, configuration.service_wait_seconds()));
    requiredWriters = Set.of(configuration.report_writers());
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    for (Thread thread : running) {
      LOG.info("Stopping the evaluation on thread {}", thread.getName());
      thread.interrupt();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SHUTDOWN_GRACE_SECONDS);
    while (!running.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  @Override
  public EvaluationReport evaluate(EvaluationRequest request, EvaluationMonitor monitor)
      throws EvaluationException, InterruptedException {
    Thread current = Thread.currentThread();
    running.add(current);
    CountDownLatch finished = new CountDownLatch(1);
    Thread shutdownHook = cleanUpBeforeExit(current, finished);
    try (RegistryServices services = new RegistryServices(context)) {
      return new Evaluation(services, serviceWait, requiredWriters)
          .run(request, monitor == null ? EvaluationMonitor.NONE : monitor);
    } finally {
      finished.countDown();
      running.remove(current);
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException e) {
        // The JVM is shutting down: the hook is running and has just been released.
      }
    }
  }

  /**
   * Ctrl-C: the JVM runs its shutdown hooks and exits when they end, whatever other threads are
   * doing. This hook interrupts the evaluation and holds the exit until it has deleted its
   * unfinished output (or a timeout passed).
   */
  private static Thread cleanUpBeforeExit(Thread evaluation, CountDownLatch finished) {
    Thread hook = new Thread(() -> {
      evaluation.interrupt();
      try {
        if (!finished.await(SHUTDOWN_GRACE_SECONDS, TimeUnit.SECONDS)) {
          LOG.warn("The evaluation did not stop within {} s; its working directory may remain", SHUTDOWN_GRACE_SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "vigil-eval-shutdown");
    Runtime.getRuntime().addShutdownHook(hook);
    return hook;
  }
}
