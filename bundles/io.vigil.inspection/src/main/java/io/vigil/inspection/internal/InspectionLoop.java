package io.vigil.inspection.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.inspection.StationStatus.State;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's worker: pulls frames from the current source, scores each with the current
 * detector, hands every result to the publisher. Source and detector may be swapped at any time
 * from other threads; the swap takes effect between two frames. A frame in hand is never dropped
 * because of a swap: it waits for a detector, and is scored again by the new detector only when
 * the old one failed because it went away mid-frame.
 *
 * <p>The decision threshold is the detector's calibrated one unless the settings override it for
 * that detector (an operator moving the threshold slider).
 */
final class InspectionLoop {
  private static final Logger LOG = LoggerFactory.getLogger(InspectionLoop.class);
  private static final Duration REOPEN_BACKOFF = Duration.ofSeconds(1);
  private static final int RATE_WINDOW = 30;

  private final Publisher publisher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition bindingsChanged = lock.newCondition();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Deque<Long> recentCompletions = new ArrayDeque<>();

  private volatile ImageSource source;
  private volatile Detector detector;
  private volatile Settings settings;
  private volatile State state = State.STOPPED;
  private volatile boolean running;
  private Thread worker;

  /** Receives each result with the raw threshold its decision was taken at (NaN for errors). */
  @FunctionalInterface
  interface Publisher {
    void publish(InspectionResult result, double threshold);
  }

  /**
   * Loop settings from configuration.
   *
   * @param threshold          raw threshold overriding the model's; NaN for none
   * @param thresholdDetector  the detector the override is for; empty for any
   */
  record Settings(Duration pollTimeout, boolean repeatFinite, double threshold, String thresholdDetector) {
    Settings {
      Objects.requireNonNull(pollTimeout);
      thresholdDetector = thresholdDetector == null ? "" : thresholdDetector;
    }

    Settings(Duration pollTimeout, boolean repeatFinite) {
      this(pollTimeout, repeatFinite, Double.NaN, "");
    }

    /** The threshold {@code detector} decides at under these settings. */
    double thresholdFor(Detector detector) {
      boolean overridden = !Double.isNaN(threshold)
          && (thresholdDetector.isEmpty() || thresholdDetector.equals(detector.name()));
      return overridden ? threshold : detector.calibration().threshold();
    }
  }

  InspectionLoop(Publisher publisher, Settings settings) {
    this.publisher = publisher;
    this.settings = settings;
  }

  void start(String threadName) {
    running = true;
    worker = new Thread(this::run, threadName);
    worker.setDaemon(true);
    worker.start();
  }

  /** Stops the worker and waits for it; the frame being scored, if any, completes first. */
  void stop() throws InterruptedException {
    running = false;
    signal();
    Thread thread = worker;
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      if (thread.isAlive()) {
        LOG.warn("Inspection worker did not stop within 30 s; interrupting it");
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    }
    state = State.STOPPED;
  }

  void setSource(ImageSource newSource) {
    source = newSource;
    signal();
  }

  /** Clears the source only if it is still {@code old} (a replacement may already be bound). */
  void clearSource(ImageSource old) {
    lock.lock();
    try {
      if (source == old) {
        source = null;
      }
      bindingsChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void setDetector(Detector newDetector) {
    detector = newDetector;
    signal();
  }

  void clearDetector(Detector old) {
    lock.lock();
    try {
      if (detector == old) {
        detector = null;
      }
      bindingsChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  void setSettings(Settings newSettings) {
    settings = newSettings;
    signal();
  }

  StationStatus status() {
    ImageSource s = source;
    Detector d = detector;
    long total = sequence.get();
    return new StationStatus(
        state, s == null ? null : s.name(), d == null ? null : d.name(), total, errors.get(), framesPerSecond());
  }

  private void signal() {
    lock.lock();
    try {
      bindingsChanged.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Waits until a binding changes, the loop stops, or {@code timeout} passes. */
  private void awaitChange(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      if (running) {
        bindingsChanged.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private void run() {
    FrameStream stream = null;
    ImageSource streamSource = null;
    try {
      while (running) {
        ImageSource current = source;
        if (current == null) {
          state = State.WAITING_FOR_SOURCE;
          stream = close(stream);
          streamSource = null;
          awaitChange(Duration.ofSeconds(1));
          continue;
        }
        if (current != streamSource) {
          stream = close(stream);
          streamSource = current;
          try {
            stream = current.open();
            LOG.info("Inspecting frames from source '{}'", current.name());
          } catch (IOException | RuntimeException e) {
            LOG.warn("Cannot open source '{}': {}; retrying", current.name(), e.getMessage());
            streamSource = null;
            awaitChange(REOPEN_BACKOFF);
            continue;
          }
        }
        if (stream.isExhausted()) {
          if (settings.repeatFinite()) {
            stream = close(stream);
            streamSource = null;
          } else {
            state = State.FINISHED;
            awaitChange(Duration.ofSeconds(1));
          }
          continue;
        }
        Frame frame;
        try {
          frame = stream.next(settings.pollTimeout());
        } catch (FrameReadException e) {
          publishError(null, e.origin(), current.name(), null, e.getMessage(), Duration.ZERO);
          continue;
        } catch (IOException | RuntimeException e) {
          LOG.warn("Source '{}' failed: {}; reopening", current.name(), e.getMessage());
          stream = close(stream);
          streamSource = null;
          awaitChange(REOPEN_BACKOFF);
          continue;
        }
        if (frame != null) {
          inspect(frame, current.name());
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("Inspection worker died", e);
      throw e;
    } finally {
      close(stream);
      state = State.STOPPED;
    }
  }

  private void inspect(Frame frame, String sourceName) throws InterruptedException {
    while (running) {
      Detector current = detector;
      if (current == null) {
        state = State.WAITING_FOR_DETECTOR;
        awaitChange(Duration.ofSeconds(1));
        continue;
      }
      state = State.RUNNING;
      long start = System.nanoTime();
      Detection detection;
      try {
        detection = current.detect(frame.image());
      } catch (Exception e) {
        if (detector != current) {
          // The detector went away while scoring: this frame has no result yet, so the
          // replacement scores it.
          LOG.info("Detector '{}' was replaced while scoring {}; rescoring", current.name(), frame.id());
          continue;
        }
        publishError(frame, frame.id(), sourceName, current.name(), describe(e), elapsedSince(start));
        return;
      }
      double threshold = settings.thresholdFor(current);
      if (threshold != current.calibration().threshold()) {
        detection = current.calibration().withThreshold(threshold).detection(detection.map(), detection.rawScore());
      }
      publish(new InspectionResult(sequence.incrementAndGet(), frame, frame.id(), sourceName, current.name(),
          detection, null, elapsedSince(start), Instant.now()), threshold);
      return;
    }
  }

  private void publishError(
      Frame frame, String frameId, String sourceName, String detectorName, String error, Duration time) {
    errors.incrementAndGet();
    publish(new InspectionResult(
        sequence.incrementAndGet(), frame, frameId, sourceName, detectorName, null, error, time, Instant.now()),
        Double.NaN);
  }

  private void publish(InspectionResult result, double threshold) {
    synchronized (recentCompletions) {
      recentCompletions.addLast(System.nanoTime());
      if (recentCompletions.size() > RATE_WINDOW) {
        recentCompletions.removeFirst();
      }
    }
    try {
      publisher.publish(result, threshold);
    } catch (RuntimeException e) {
      LOG.error("Publishing result {} failed", result.frameId(), e);
    }
  }

  private double framesPerSecond() {
    synchronized (recentCompletions) {
      if (recentCompletions.size() < 2) {
        return 0;
      }
      long now = System.nanoTime();
      long first = recentCompletions.peekFirst();
      if (now - recentCompletions.peekLast() > TimeUnit.SECONDS.toNanos(5)) {
        return 0; // nothing lately: the line stopped
      }
      return (recentCompletions.size() - 1) / ((now - first) / 1e9);
    }
  }

  private static Duration elapsedSince(long startNanos) {
    return Duration.ofNanos(System.nanoTime() - startNanos);
  }

  private static String describe(Exception e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }

  private static FrameStream close(FrameStream stream) {
    if (stream != null) {
      try {
        stream.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Closing a frame stream failed: {}", e.getMessage());
      }
    }
    return null;
  }
}
