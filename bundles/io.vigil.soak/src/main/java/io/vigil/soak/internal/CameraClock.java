package io.vigil.soak.internal;

import java.time.Duration;
import java.time.Instant;

/**
 * A line camera's clock for the soak's sources: frame n is captured at start + n / rate. A frame
 * asked for early waits for its time; one asked for late (the station fell behind) keeps its
 * capture time, so its latency counts the wait a real line would have seen.
 */
final class CameraClock {
  private final long intervalNanos;
  private final Instant startInstant;
  private final long startNanos;

  /** A clock whose frame 0 is due now. */
  CameraClock(double framesPerSecond) {
    if (!(framesPerSecond > 0)) {
      throw new IllegalArgumentException("the frame rate must be positive: " + framesPerSecond);
    }
    this.intervalNanos = Math.round(1e9 / framesPerSecond);
    this.startInstant = Instant.now();
    this.startNanos = System.nanoTime();
  }

  /** Waits (at most {@code timeout}) until frame {@code number} is due; its capture time, or null if not due by then. */
  Instant await(long number, Duration timeout) throws InterruptedException {
    long due = startNanos + number * intervalNanos;
    long wait = due - System.nanoTime();
    if (wait > timeout.toNanos()) {
      Thread.sleep(timeout.toMillis());
      return null;
    }
    if (wait > 0) {
      Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
    }
    return startInstant.plusNanos(number * intervalNanos);
  }
}
