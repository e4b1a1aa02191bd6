package io.vigil.soak.internal;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** The process's memory and threads, read the way an operator would (no agent, no native code). */
final class ProcessProbe {
  private static final Path STATUS = Path.of("/proc/self/status");
  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();

  /** Heap in use after a full collection, in MB: what stays, not the garbage of the last frames. */
  double heapAfterCollectionMegabytes() {
    memory.gc();
    return memory.getHeapMemoryUsage().getUsed() / 1048576.0;
  }

  /** Resident memory (VmRSS) in MB; NaN where /proc is not there (not Linux). */
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
