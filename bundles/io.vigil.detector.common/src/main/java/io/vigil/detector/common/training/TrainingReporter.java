package io.vigil.detector.common.training;

import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import java.time.Duration;
import java.util.concurrent.CancellationException;

/**
 * Progress and cancellation of one training run: elapsed time from construction, and an ETA for
 * the phase started with {@link #startTimedPhase} from its steps so far.
 */
public final class TrainingReporter {
  private final TrainingMonitor monitor;
  private final long startNanos = System.nanoTime();
  private long timedPhaseStartNanos;
  private String timedPhasePrefix;

  public TrainingReporter(TrainingMonitor monitor) {
    this.monitor = monitor;
  }

  /** Phases whose name starts with {@code prefix} get an ETA from now on. */
  public void startTimedPhase(String prefix) {
    timedPhasePrefix = prefix;
    timedPhaseStartNanos = System.nanoTime();
  }

  public Duration elapsed() {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  /** @throws InterruptedException on thread interruption; CancellationException when the monitor cancels */
  public void checkCancelled() throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("training interrupted");
    }
    if (monitor.isCancelled()) {
      throw new CancellationException("training cancelled");
    }
  }

  /** Progress with an ETA the caller knows better (e.g. the smaller of steps left and a time budget). */
  public void progress(String phase, int step, int total, double loss, Duration remaining) {
    monitor.progress(new TrainingProgress(phase, step, total, loss, elapsed(), remaining));
  }

  public void progress(String phase, int step, int total, double loss) {
    Duration remaining = null;
    if (timedPhasePrefix != null && phase.startsWith(timedPhasePrefix) && step > 0) {
      remaining = Duration.ofNanos((long) ((System.nanoTime() - timedPhaseStartNanos) / (double) step * (total - step)));
    }
    monitor.progress(new TrainingProgress(phase, step, total, loss, elapsed(), remaining));
  }
}
