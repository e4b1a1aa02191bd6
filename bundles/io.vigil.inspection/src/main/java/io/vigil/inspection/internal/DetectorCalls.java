package io.vigil.inspection.internal;

import io.vigil.api.detector.Detector;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into detectors with a time limit. Each {@link Lane} runs its calls on one worker thread it
 * owns while the caller waits at most the timeout. A detector that does not return in time is
 * abandoned: its worker is interrupted and left to finish on its own (the lane starts a new worker
 * for the next call), and the detector counts as stuck until that call returns, so further calls to
 * it fail at once instead of starting another thread that would hang as well. So a detector that
 * hangs for good costs one thread, not one per frame.
 */
final class DetectorCalls implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DetectorCalls.class);
  /** A worker with nothing to do ends after this long; the next call starts another. */
  private static final long IDLE_SECONDS = 60;

  /** A detector did not return within the timeout, or is still inside an earlier call that did not. */
  static final class TimeoutException extends Exception {
    private static final long serialVersionUID = 1L;

    TimeoutException(String message) {
      super(message);
    }
  }

  /** A call that timed out and has not returned yet. */
  private record Stuck(String what, long sinceNanos, Duration timeout, Future<?> call) {}

  private final String threadName;
  private final String setting;
  private final AtomicInteger threads = new AtomicInteger();
  private final Map<Detector, Stuck> stuck = new IdentityHashMap<>();
  private final Lane scoring = new Lane();
  private final Lane warmUp = new Lane();

  /**
   * @param threadName prefix of the workers' names ({@code NAME-detect-N})
   * @param setting    the setting that holds the timeout, named in error messages
   */
  DetectorCalls(String threadName, String setting) {
    this.threadName = threadName;
    this.setting = setting;
  }

  /** The lane the scorer calls detectors on. */
  Lane scoring() {
    return scoring;
  }

  /** The lane warm-ups run on (beside the scoring of the detector bound before). */
  Lane warmUp() {
    return warmUp;
  }

  /** Threads stuck in a detector call that timed out. */
  int abandoned() {
    synchronized (stuck) {
      stuck.values().removeIf(s -> s.call().isDone());
      return stuck.size();
    }
  }

  /** Stops the workers (interrupting a call in progress); a new call would start one again. */
  @Override
  public void close() {
    scoring.close();
    warmUp.close();
  }

  /** One worker thread, reused call after call until a call on it is abandoned. */
  final class Lane {
    private ThreadPoolExecutor worker;

    /**
     * Runs {@code call} on this lane's worker and returns its result, or throws what it threw.
     * With a zero timeout it runs on the calling thread, without limit.
     *
     * @param what the call, for messages ("frame-12", "its warm-up")
     * @throws TimeoutException when it did not return within {@code timeout} (it is abandoned), or
     *     {@code detector} is still inside an earlier call that did not
     */
    <T> T call(Detector detector, String what, Duration timeout, Callable<T> call) throws Exception {
      if (timeout.isZero() || timeout.isNegative()) {
        return call.call();
      }
      refuseIfStuck(detector, what);
      Future<T> future = submit(call);
      long start = System.nanoTime();
      try {
        return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        if (cause instanceof Exception exception) {
          throw exception;
        }
        if (cause instanceof Error error) {
          throw error;
        }
        throw e;
      } catch (java.util.concurrent.TimeoutException e) {
        abandon();
        synchronized (stuck) {
          stuck.put(detector, new Stuck(what, start, timeout, future));
        }
        String message = "detector '" + detector.name() + "' did not return from " + what + " within "
            + timeout.toMillis() + " ms (" + setting + "); the call was abandoned";
        LOG.error("{}; frames get error results until it returns", message);
        throw new TimeoutException(message);
      } catch (InterruptedException e) {
        future.cancel(true);
        throw e;
      }
    }

    private synchronized <T> Future<T> submit(Callable<T> call) {
      if (worker == null) {
        worker = new ThreadPoolExecutor(1, 1, IDLE_SECONDS, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), task -> {
          Thread thread = new Thread(task, threadName + "-detect-" + threads.incrementAndGet());
          thread.setDaemon(true);
          return thread;
        });
        worker.allowCoreThreadTimeOut(true);
      }
      return worker.submit(call);
    }

    /** Leaves the worker to its hung call (interrupted, in case it listens); the next call starts a new one. */
    private synchronized void abandon() {
      // Not Future.cancel: a cancelled future reads as done, and the detector must stay stuck until the call returns.
      if (worker != null) {
        worker.shutdownNow();
        worker = null;
      }
    }

    private synchronized void close() {
      if (worker != null) {
        worker.shutdownNow();
        worker = null;
      }
    }
  }

  private void refuseIfStuck(Detector detector, String what) throws TimeoutException {
    synchronized (stuck) {
      Stuck earlier = stuck.get(detector);
      if (earlier == null) {
        return;
      }
      if (earlier.call().isDone()) {
        stuck.remove(detector);
        LOG.info("Detector '{}' returned from {} at last; it scores again", detector.name(), earlier.what());
        return;
      }
      long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - earlier.sinceNanos());
      throw new TimeoutException("detector '" + detector.name() + "' has not returned from " + earlier.what() + " for "
          + seconds + " s (over the timeout of " + earlier.timeout().toMillis() + " ms, " + setting + "); "
          + what + " was not scored");
    }
  }
}
