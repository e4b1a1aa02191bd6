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
import io.vigil.api.detector.DetectionException;
import io.vigil.api.image.Image;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station's pipeline: a reader thread pulls frames from the current source (decoding them)
 * into a short queue while the scorer thread scores what is queued with the current detector, in
 * batches of up to {@link Settings#maxBatch} when frames have piled up, and hands every result to
 * the publisher in frame order. Source and detector may be swapped at any time from other threads;
 * a swap takes effect between two frames (for the detector: between two batches). A frame read is
 * never dropped because of a swap: it waits for a detector, and is scored again by the new detector
 * only when the old one failed because it went away mid-batch.
 *
 * <p>The decision threshold is the detector's calibrated one unless the settings override it for
 * that detector (an operator moving the threshold slider).
 */
final class InspectionLoop {
  private static final Logger LOG = LoggerFactory.getLogger(InspectionLoop.class);
  private static final Duration REOPEN_BACKOFF = Duration.ofSeconds(1);
  private static final int RATE_WINDOW = 30;
  /** Frames read ahead: enough to batch, few enough that a stalled detector holds back the source. */
  private static final int QUEUE_CAPACITY = 16;
  private static final long QUEUE_POLL_MILLIS = 200;
  /**
   * The blank frame a detector warms up on when the loop has seen no frame yet: a camera-like size
   * that no network takes as it is, so the warm-up runs (and the JIT compiles) the resize too.
   */
  private static final int WARM_UP_WIDTH = 320;
  private static final int WARM_UP_HEIGHT = 240;

  private final Publisher publisher;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition bindingsChanged = lock.newCondition();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private final Deque<Long> recentCompletions = new ArrayDeque<>();
  private final BlockingQueue<Item> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);

  private volatile ImageSource source;
  private volatile Detector detector;
  private volatile Settings settings;
  private volatile State readerState = State.STOPPED;
  private volatile boolean scoring;
  private volatile boolean waitingForDetector;
  private volatile boolean running;
  private Thread reader;
  private Thread scorer;
  /** Serialises warm-ups; what was warmed last, and up to which batch size. */
  private final Object warmUpLock = new Object();
  private Detector warmed;
  private int warmedBatch;
  /** The last frame's image: warm-ups use its size. */
  private volatile Image lastImage;
  /** Longest a detector call may take before its frames become error results; zero: no limit. */
  private volatile Duration scoringTimeout = Duration.ZERO;
  /** Detector calls under that limit, on threads "vigil-inspection-detect-N". */
  private final DetectorCalls calls = new DetectorCalls("vigil-inspection", "scoring.timeout.ms");

  /** Receives each result; {@link InspectionResult#threshold} is the one its decision was taken at (NaN for errors). */
  @FunctionalInterface
  interface Publisher {
    void publish(InspectionResult result);
  }

  /**
   * Loop settings from configuration.
   *
   * @param threshold          raw threshold overriding the model's; NaN for none
   * @param thresholdDetector  the detector the override is for; empty for any
   * @param maxBatch           most queued frames scored in one call; 1 scores frame by frame
   * @param warmUp             a detector scores blank frames at every batch size up to maxBatch
   *     before it is given frames (see {@link InspectionLoop#setDetector})
   * @param paused             read no further frames (what was read is still scored); the source stays open
   */
  record Settings(Duration pollTimeout, boolean repeatFinite, double threshold, String thresholdDetector,
      int maxBatch, boolean warmUp, boolean paused) {
    static final int DEFAULT_MAX_BATCH = 4;

    Settings {
      Objects.requireNonNull(pollTimeout);
      thresholdDetector = thresholdDetector == null ? "" : thresholdDetector;
      maxBatch = Math.max(1, Math.min(maxBatch, QUEUE_CAPACITY));
    }

    Settings(Duration pollTimeout, boolean repeatFinite, double threshold, String thresholdDetector, int maxBatch,
        boolean warmUp) {
      this(pollTimeout, repeatFinite, threshold, thresholdDetector, maxBatch, warmUp, false);
    }

    Settings(Duration pollTimeout, boolean repeatFinite, double threshold, String thresholdDetector, int maxBatch) {
      this(pollTimeout, repeatFinite, threshold, thresholdDetector, maxBatch, false, false);
    }

    Settings(Duration pollTimeout, boolean repeatFinite) {
      this(pollTimeout, repeatFinite, Double.NaN, "", DEFAULT_MAX_BATCH, false, false);
    }

    /** The threshold {@code detector} decides at under these settings. */
    double thresholdFor(Detector detector) {
      boolean overridden = !Double.isNaN(threshold)
          && (thresholdDetector.isEmpty() || thresholdDetector.equals(detector.name()));
      return overridden ? threshold : detector.calibration().threshold();
    }
  }

  /** What the reader hands the scorer: a frame, or an item that could not be read. */
  private record Item(Frame frame, String sourceName, String errorOrigin, String error) {
    static Item frame(Frame frame, String sourceName) {
      return new Item(frame, sourceName, null, null);
    }

    static Item unreadable(String origin, String sourceName, String error) {
      return new Item(null, sourceName, origin, error);
    }
  }

  InspectionLoop(Publisher publisher, Settings settings) {
    this.publisher = publisher;
    this.settings = settings;
  }

  /** Starts the reader "{threadName}-reader" and the scorer "{threadName}". */
  void start(String threadName) {
    running = true;
    reader = new Thread(this::read, threadName + "-reader");
    reader.setDaemon(true);
    scorer = new Thread(this::score, threadName);
    scorer.setDaemon(true);
    reader.start();
    scorer.start();
  }

  /** Stops both threads and waits for them; the batch being scored, if any, completes first. */
  void stop() throws InterruptedException {
    running = false;
    signal();
    join(reader);
    join(scorer);
    calls.close();
    readerState = State.STOPPED;
  }

  private static void join(Thread thread) throws InterruptedException {
    if (thread != null) {
      thread.join(TimeUnit.SECONDS.toMillis(30));
      if (thread.isAlive()) {
        LOG.warn("{} did not stop within 30 s; interrupting it", thread.getName());
        thread.interrupt();
        thread.join(TimeUnit.SECONDS.toMillis(5));
      }
    }
  }

  /**
   * How long one detector call (a frame, or a batch) may take. One that takes longer is abandoned:
   * its frames become error results naming the timeout, the loop goes on with the next frames, and
   * the detector gets no further frames (they become error results at once) until the call returns.
   * Zero: no limit, the detector is called on the scorer thread.
   */
  void setScoringTimeout(Duration timeout) {
    scoringTimeout = timeout == null || timeout.isNegative() ? Duration.ZERO : timeout;
  }

  /** Threads left inside a detector call that timed out and has not returned. */
  int abandonedDetectorCalls() {
    return calls.abandoned();
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

  /**
   * Makes {@code newDetector} the one that scores, after warming it up when the settings ask for
   * it: it scores a blank frame at every batch size the loop may use, on the caller's thread, while
   * the detector bound before (if any) goes on scoring. A compiled network plans its memory for
   * each batch size on its first call, which takes many frames' time; planned during the stream,
   * it held up every frame queued behind (p99 latency of hundreds of ms at 30 frames/s).
   */
  void setDetector(Detector newDetector) {
    warmUp(newDetector, settings);
    detector = newDetector;
    signal();
  }

  private void warmUp(Detector candidate, Settings with) {
    if (candidate == null || !with.warmUp()) {
      return;
    }
    synchronized (warmUpLock) {
      if (candidate == warmed && warmedBatch >= with.maxBatch()) {
        return;
      }
      Image like = lastImage;
      int width = like == null ? WARM_UP_WIDTH : like.width();
      int height = like == null ? WARM_UP_HEIGHT : like.height();
      int channels = like == null ? 1 : like.channels();
      byte[] grey = new byte[width * height * channels];
      java.util.Arrays.fill(grey, (byte) 128);
      Image blank = Image.of8Bit(width, height, channels, grey);
      long start = System.nanoTime();
      try {
        for (int n = 1; n <= with.maxBatch(); n++) {
          int batch = n;
          calls.warmUp().call(candidate, "its warm-up", scoringTimeout, () -> batch == 1
              ? candidate.detect(blank) : candidate.detect(java.util.Collections.nCopies(batch, blank)));
        }
        warmed = candidate;
        warmedBatch = with.maxBatch();
        LOG.info("Detector '{}' warmed up for batches of 1 to {} ({}x{}) in {} ms", candidate.name(), with.maxBatch(),
            width, height, (System.nanoTime() - start) / 1_000_000);
      } catch (Exception | LinkageError e) {
        // It will fail on frames too, where the failure becomes an error result.
        LOG.warn("Detector '{}' failed its warm-up: {}", candidate.name(), describe(e));
      }
    }
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

  /** New settings; the bound detector is warmed up first when they ask for it (a larger batch, say). */
  void setSettings(Settings newSettings) {
    warmUp(detector, newSettings);
    settings = newSettings;
    signal();
  }

  StationStatus status() {
    ImageSource s = source;
    Detector d = detector;
    long total = sequence.get();
    return new StationStatus(
        state(), s == null ? null : s.name(), d == null ? null : d.name(), total, errors.get(), framesPerSecond());
  }

  /** Frames in hand: what waits for the scorer. */
  int queued() {
    return queue.size();
  }

  private State state() {
    if (!running) {
      return State.STOPPED;
    }
    if (waitingForDetector) {
      return State.WAITING_FOR_DETECTOR;
    }
    if (scoring || !queue.isEmpty()) {
      return State.RUNNING;
    }
    return readerState; // PAUSED only once the reader has stopped taking frames
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

  /** The reader thread: opens, reopens and swaps sources, and queues what they deliver. */
  private void read() {
    FrameStream stream = null;
    ImageSource streamSource = null;
    try {
      while (running) {
        ImageSource current = source;
        if (current == null) {
          readerState = State.WAITING_FOR_SOURCE;
          stream = close(stream);
          streamSource = null;
          awaitChange(Duration.ofSeconds(1));
          continue;
        }
        if (settings.paused()) {
          // Kept open: a camera keeps its settings and a finite source its position for the resume.
          readerState = State.PAUSED;
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
            readerState = State.FINISHED;
            awaitChange(Duration.ofSeconds(1));
          }
          continue;
        }
        if (detector == null) {
          // Frames pulled now would only wait (and age) in the queue: leave them with the source.
          readerState = State.WAITING_FOR_DETECTOR;
          awaitChange(Duration.ofSeconds(1));
          continue;
        }
        readerState = State.RUNNING;
        Frame frame;
        try {
          frame = stream.next(settings.pollTimeout());
        } catch (FrameReadException e) {
          enqueue(Item.unreadable(e.origin(), current.name(), e.getMessage()));
          continue;
        } catch (IOException | RuntimeException e) {
          LOG.warn("Source '{}' failed: {}; reopening", current.name(), e.getMessage());
          stream = close(stream);
          streamSource = null;
          awaitChange(REOPEN_BACKOFF);
          continue;
        }
        if (frame != null) {
          enqueue(Item.frame(frame, current.name()));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("Frame reader died", e);
      throw e;
    } finally {
      close(stream);
    }
  }

  /** Waits for room in the queue (the scorer is behind); an item read is not given up unless the loop stops. */
  private void enqueue(Item item) throws InterruptedException {
    while (running) {
      if (queue.offer(item, QUEUE_POLL_MILLIS, TimeUnit.MILLISECONDS)) {
        return;
      }
    }
  }

  /** The scorer thread: takes what is queued, in order, up to a batch at a time. */
  private void score() {
    List<Item> taken = new ArrayList<>();
    try {
      while (running) {
        Item first = queue.poll(QUEUE_POLL_MILLIS, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        scoring = true;
        taken.clear();
        taken.add(first);
        queue.drainTo(taken, settings.maxBatch() - 1);
        List<Item> frames = new ArrayList<>();
        for (Item item : taken) {
          if (item.frame() == null) {
            inspect(frames);
            frames.clear();
            publishError(null, item.errorOrigin(), item.sourceName(), null, item.error(), Duration.ZERO);
          } else {
            frames.add(item);
          }
        }
        inspect(frames);
        scoring = false;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException | Error e) {
      LOG.error("Inspection worker died", e);
      throw e;
    } finally {
      scoring = false;
    }
  }

  /** Scores frames of one batch and publishes their results in order. */
  private void inspect(List<Item> items) throws InterruptedException {
    if (items.isEmpty()) {
      return;
    }
    List<Image> images = new ArrayList<>(items.size());
    for (Item item : items) {
      images.add(item.frame().image());
    }
    lastImage = images.get(images.size() - 1);
    while (running) {
      Detector current = detector;
      if (current == null) {
        waitingForDetector = true;
        awaitChange(Duration.ofSeconds(1));
        continue;
      }
      waitingForDetector = false;
      long start = System.nanoTime();
      List<Detection> detections;
      try {
        String what = items.get(0).frame().id() + (items.size() > 1 ? " and " + (items.size() - 1) + " more frames" : "");
        detections = calls.scoring().call(current, what, scoringTimeout,
            () -> images.size() == 1 ? List.of(current.detect(images.get(0))) : current.detect(images));
        if (detections.size() != images.size()) {
          throw new DetectionException(
              "the detector returned " + detections.size() + " results for " + images.size() + " images");
        }
      } catch (DetectorCalls.TimeoutException e) {
        if (detector != current) {
          LOG.info("Detector '{}' was replaced while hung on {}; rescoring", current.name(), items.get(0).frame().id());
          continue;
        }
        // The detector is stuck: scoring the frames one by one would only wait again. Each gets the reason.
        Duration time = elapsedSince(start);
        for (Item item : items) {
          publishError(item.frame(), item.frame().id(), item.sourceName(), current.name(), e.getMessage(), time);
        }
        return;
      } catch (Exception | LinkageError e) {
        // LinkageError: a class of a detector bundle uninstalled mid-frame.
        if (detector != current) {
          // The detector went away while scoring: these frames have no result yet, so the
          // replacement scores them.
          LOG.info("Detector '{}' was replaced while scoring {}; rescoring", current.name(), items.get(0).frame().id());
          continue;
        }
        if (items.size() > 1) {
          // One bad frame must not cost its neighbours their results: score them one by one.
          for (Item item : items) {
            inspect(List.of(item));
          }
          return;
        }
        Frame frame = items.get(0).frame();
        publishError(frame, frame.id(), items.get(0).sourceName(), current.name(), describe(e), elapsedSince(start));
        return;
      }
      // Per frame: its share of the batch's time.
      Duration each = elapsedSince(start).dividedBy(items.size());
      double threshold = settings.thresholdFor(current);
      for (int i = 0; i < items.size(); i++) {
        Detection detection = detections.get(i);
        if (threshold != current.calibration().threshold()) {
          detection = current.calibration().withThreshold(threshold).detection(detection.map(), detection.rawScore());
        }
        Frame frame = items.get(i).frame();
        publish(new InspectionResult(sequence.incrementAndGet(), frame, frame.id(), items.get(i).sourceName(),
            current.name(), detection, null, each, Instant.now(), threshold));
      }
      return;
    }
  }

  private void publishError(
      Frame frame, String frameId, String sourceName, String detectorName, String error, Duration time) {
    errors.incrementAndGet();
    publish(new InspectionResult(
        sequence.incrementAndGet(), frame, frameId, sourceName, detectorName, null, error, time, Instant.now()));
  }

  private void publish(InspectionResult result) {
    synchronized (recentCompletions) {
      recentCompletions.addLast(System.nanoTime());
      if (recentCompletions.size() > RATE_WINDOW) {
        recentCompletions.removeFirst();
      }
    }
    try {
      publisher.publish(result);
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

  private static String describe(Throwable e) {
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
