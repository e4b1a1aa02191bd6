package io.vigil.soak.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.DoubleSupplier;

/** The process's memory and threads, read the way an operator would (no agent, no native code). */
final class ProcessProbe {
  private static final Path STATUS = Path.of("/proc/self/status");
  private static final long SETTLE_PAUSE_MILLIS = 100;
  private static final int SETTLE_MIN_READS = 4;
  private static final int SETTLE_MAX_READS = 30;
  private static final double SETTLE_TOLERANCE_MEGABYTES = 0.5;
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  /** Heap in use after a full collection, in MB: what stays, not the garbage of the last frames. */
  double heapAfterCollectionMegabytes() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /** Heap the JVM holds from the OS (committed), in MB. */
  double heapCommittedMegabytes() {
    return memory.getHeapMemoryUsage().getCommitted() / 1048576.0;
  }

  /**
   * Resident memory (VmRSS) in MB once it has stopped falling: after a collection G1 (JDK 17) hands
   * the heap regions it gave up back to the OS from a background thread, so VmRSS read at once still
   * holds some or all of them (up to 100 MB more in a soak, which read as a second memory level).
   * NaN where /proc is not there (not Linux).
   */
  double settledResidentMegabytes() {
    return settled(this::residentMegabytes, () -> {
      try {
        Thread.sleep(SETTLE_PAUSE_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, SETTLE_MIN_READS, SETTLE_MAX_READS, SETTLE_TOLERANCE_MEGABYTES);
  }

  /**
   * Reads a pause apart, at least {@code minReads} times (the background thread may not have started
   * yet) and then until a read is no more than {@code tolerance} below the one before it, at most
   * {@code maxReads} times; the last read.
   */
  static double settled(DoubleSupplier read, Runnable pause, int minReads, int maxReads, double tolerance) {
    double last = read.getAsDouble();
    for (int i = 1; i < maxReads && Double.isFinite(last) && !Thread.currentThread().isInterrupted(); i++) {
      pause.run();
      double next = read.getAsDouble();
      boolean falling = next < last - tolerance;
      last = next;
      if (!falling && i + 1 >= minReads) {
        break;
      }
    }
    return last;
  }

  /** Resident memory (VmRSS) in MB now; NaN where /proc is not there (not Linux). */
  double residentMegabytes() {
    try {
      return residentKilobytes(Files.readAllLines(STATUS)) / 1024.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  static long residentKilobytes(List<String> statusLines) {
    for (String line : statusLines) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.substring("VmRSS:".length()).trim().split("\\s+")[0]);
      }
    }
    throw new IllegalArgumentException("no VmRSS line");
  }

  int threads() {
    return ManagementFactory.getThreadMXBean().getThreadCount();
  }
}
