package io.vigil.source.camera.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives one camera on its own thread while anyone reads from it: connects, streams, and hands
 * each frame to every subscribed reader. When the camera is lost (unplugged, powered off, no frame
 * within the stream timeout) it tells the current readers once, closes the camera and reconnects
 * with exponential backoff until the camera is back. With no reader for a while it lets the camera
 * go, so another application (or station) may open it.
 */
final class CameraAcquisition implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CameraAcquisition.class);
  private static final Duration POLL = Duration.ofMillis(100);

  /** Timings of connection upkeep. */
  record Upkeep(Duration initialBackoff, Duration maximumBackoff, Duration idleDisconnect, int queuedFrames) {}

  /** What a reader's queue holds: a frame, or the news that the camera was lost. */
  sealed interface Delivery permits FrameDelivery, LossDelivery {}

  record FrameDelivery(RawFrame frame) implements Delivery {}

  record LossDelivery(String reason) implements Delivery {}

  /** One reader's view of the camera. */
  final class Reader implements AutoCloseable {
    private final BlockingQueue<Delivery> queue;
    private final AtomicInteger dropped = new AtomicInteger();

    private Reader(int capacity) {
      queue = new LinkedBlockingQueue<>(capacity + 1); // + room for one loss notice
    }

    /** The next frame or loss notice, waiting at most {@code timeout}; null when nothing came. */
    Delivery poll(Duration timeout) throws InterruptedException {
      waitingReaders.incrementAndGet();
      try {
        return queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
      } finally {
        waitingReaders.decrementAndGet();
      }
    }

    private void offer(Delivery delivery) {
      while (!queue.offer(delivery)) {
        // A slow reader misses the oldest frames, never the newest (a live line moves on).
        if (queue.poll() instanceof FrameDelivery) {
          dropped.incrementAndGet();
        }
      }
    }

    /** Frames this reader was too slow for, so far. */
    int droppedFrames() {
      return dropped.get();
    }

    @Override
    public void close() {
      readers.remove(this);
      lastReaderLeft = System.nanoTime();
    }
  }

  private final String name;
  private final AravisRuntime runtime;
  private final CameraSettings settings;
  private final Upkeep upkeep;
  private final List<Reader> readers = new CopyOnWriteArrayList<>();
  private final AtomicInteger waitingReaders = new AtomicInteger();
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readerArrived = lock.newCondition();
  private final Condition stopping = lock.newCondition();
  private volatile boolean running;
  /** System.nanoTime() when the last reader left; 0 before any reader came. */
  private volatile long lastReaderLeft;
  private Thread thread;

  CameraAcquisition(String name, AravisRuntime runtime, CameraSettings settings, Upkeep upkeep) {
    this.name = name;
    this.runtime = runtime;
    this.settings = settings;
    this.upkeep = upkeep;
  }

  void start() {
    running = true;
    thread = new Thread(this::run, "vigil-camera-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  Reader subscribe() {
    Reader reader = new Reader(upkeep.queuedFrames());
    readers.add(reader);
    signal(readerArrived);
    return reader;
  }

  /** Stops the thread (which closes the camera) and waits for it. */
  @Override
  public void close() throws InterruptedException {
    running = false;
    Thread t = thread;
    if (t != null) {
      t.interrupt();
      signal(stopping);
      signal(readerArrived);
      // A native call in progress ends by its own timeout (Aravis's control timeouts are seconds).
      t.join(TimeUnit.SECONDS.toMillis(15));
      if (t.isAlive()) {
        LOG.warn("Camera thread of source '{}' did not stop within 15 s", name);
      }
    }
  }

  private void run() {
    Duration backoff = upkeep.initialBackoff();
    boolean lost = false;
    long outageStart = 0;
    try {
      while (running) {
        if (!wanted()) {
          awaitReaders();
          continue;
        }
        CameraConnection connection;
        try {
          connection = CameraConnection.open(runtime, settings, name);
        } catch (CameraException e) {
          if (!lost) {
            lost = true;
            outageStart = System.nanoTime();
            reportLoss(e.getMessage());
          }
          LOG.warn("Source '{}': {}; retrying in {} ms", name, e.getMessage(), backoff.toMillis());
          sleep(backoff);
          backoff = min(backoff.multipliedBy(2), upkeep.maximumBackoff());
          continue;
        }
        try {
          backoff = upkeep.initialBackoff();
          String identity = describe(connection);
          if (lost) {
            LOG.info("Source '{}': {} is back after {} ms", name, identity,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - outageStart));
            lost = false;
          } else {
            LOG.info("Source '{}': streaming from {}", name, identity);
          }
          stream(connection);
        } catch (CameraException e) {
          lost = true;
          outageStart = System.nanoTime();
          LOG.warn("Source '{}': camera lost: {}; reconnecting", name, e.getMessage());
          reportLoss(e.getMessage());
        } finally {
          connection.close();
        }
      }
    } catch (InterruptedException e) {
      // Stopping.
    } catch (RuntimeException | Error e) {
      LOG.error("Camera thread of source '{}' failed", name, e);
    }
  }

  /**
   * Streams until the camera fails, the source stops, or no reader has been there for the idle
   * time.
   */
  private void stream(CameraConnection connection) throws CameraException, InterruptedException {
    long timeout = settings.streamTimeout().toNanos();
    long lastSign = System.nanoTime();
    long triggeredAt = 0;
    int[] incomplete = {0};
    int reportedIncomplete = 0;
    while (running) {
      if (!wanted()) {
        LOG.info("Source '{}': no reader for {} ms; closing the camera", name, upkeep.idleDisconnect().toMillis());
        return;
      }
      boolean softwareTrigger = settings.trigger() == Trigger.SOFTWARE;
      if (softwareTrigger && triggeredAt == 0 && waitingReaders.get() > 0) {
        connection.softwareTrigger();
        triggeredAt = System.nanoTime();
      }
      RawFrame frame = connection.grab(POLL, incomplete);
      long now = System.nanoTime();
      if (frame != null) {
        lastSign = now;
        triggeredAt = 0;
        for (Reader reader : readers) {
          reader.offer(new FrameDelivery(frame));
        }
        continue;
      }
      if (incomplete[0] != reportedIncomplete) {
        LOG.debug("Source '{}': {} incomplete images so far", name, incomplete[0]);
        reportedIncomplete = incomplete[0];
      }
      boolean frameDue = switch (settings.trigger()) {
        case FREE_RUN -> true;
        case SOFTWARE -> triggeredAt != 0;
        case HARDWARE -> false;
      };
      long since = softwareTrigger && triggeredAt != 0 ? Math.max(lastSign, triggeredAt) : lastSign;
      if (now - since > timeout) {
        if (frameDue) {
          throw new CameraException("no image from " + settings.describeDevice() + " for "
              + settings.streamTimeout().toMillis() + " ms");
        }
        // Nothing due (waiting for a trigger): make sure the camera is still there.
        connection.ping();
        lastSign = now;
      }
    }
  }

  /**
   * True while someone reads, or a reader left less than the idle time ago (the station closes and
   * reopens its stream after a loss: the camera is kept, or kept being sought, meanwhile).
   */
  private boolean wanted() {
    long left = lastReaderLeft;
    return !readers.isEmpty() || (left != 0 && System.nanoTime() - left < upkeep.idleDisconnect().toNanos());
  }

  private void awaitReaders() throws InterruptedException {
    lock.lock();
    try {
      while (running && readers.isEmpty()) {
        readerArrived.await(1, TimeUnit.SECONDS);
      }
    } finally {
      lock.unlock();
    }
  }

  private void reportLoss(String reason) {
    // Only readers there when the loss happened hear of it; one that opens during an outage waits.
    for (Reader reader : readers) {
      reader.offer(new LossDelivery(reason));
    }
  }

  private void sleep(Duration duration) throws InterruptedException {
    lock.lock();
    try {
      long remaining = duration.toNanos();
      long deadline = System.nanoTime() + remaining;
      while (running && remaining > 0) {
        stopping.awaitNanos(remaining);
        remaining = deadline - System.nanoTime();
      }
    } finally {
      lock.unlock();
    }
  }

  private void signal(Condition condition) {
    lock.lock();
    try {
      condition.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private String describe(CameraConnection connection) {
    try {
      return connection.identity();
    } catch (CameraException e) {
      return settings.describeDevice();
    }
  }

  private static Duration min(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }
}
