package io.vigil.inspection.internal;

import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sink's bounded queue and thread: the station offers each result and moves on, the thread
 * delivers in order. A full queue drops the new result and counts it (logged once per burst);
 * a result the sink throws on is counted as failed. Nothing is lost without a count.
 */
final class SinkChannel {
  private static final Logger LOG = LoggerFactory.getLogger(SinkChannel.class);

  private final ResultSink sink;
  private final String name;
  private final BlockingQueue<InspectionResult> queue;
  private final AtomicLong delivered = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicLong dropped = new AtomicLong();
  private final Thread thread;
  private volatile boolean running = true;
  private boolean droppingLogged;

  SinkChannel(ResultSink sink, String name, int capacity) {
    this.sink = sink;
    this.name = name;
    this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
    this.thread = new Thread(this::deliver, "vigil-sink-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  ResultSink sink() {
    return sink;
  }

  /** Queues the result for the sink without waiting. */
  void offer(InspectionResult result) {
    if (queue.offer(result)) {
      droppingLogged = false;
      return;
    }
    long count = dropped.incrementAndGet();
    if (!droppingLogged) {
      droppingLogged = true;
      LOG.warn("Result sink '{}' is behind ({} queued): dropping results, {} so far ({})", name, queue.size(),
          count, sink.state());
    }
  }

  SinkStatus status() {
    String state;
    try {
      state = sink.state();
    } catch (RuntimeException e) {
      state = "unknown: " + e.getMessage();
    }
    return new SinkStatus(name, state, queue.size(), delivered.get(), failed.get(), dropped.get());
  }

  /** Stops the thread after what is queued was delivered, waiting at most {@code millis}. */
  void close(long millis) throws InterruptedException {
    running = false;
    thread.join(millis);
    if (thread.isAlive()) {
      thread.interrupt();
      LOG.warn("Result sink '{}' did not finish within {} ms; {} results not delivered", name, millis, queue.size());
    }
  }

  private void deliver() {
    try {
      while (running || !queue.isEmpty()) {
        InspectionResult result = queue.poll(100, TimeUnit.MILLISECONDS);
        if (result == null) {
          continue;
        }
        try {
          sink.accept(result);
          delivered.incrementAndGet();
        } catch (RuntimeException e) {
          long count = failed.incrementAndGet();
          if (count == 1 || count % 100 == 0) {
            LOG.error("Result sink '{}' failed on {} ({} failures so far): {}", name, result.frameId(), count,
                e.getMessage());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
