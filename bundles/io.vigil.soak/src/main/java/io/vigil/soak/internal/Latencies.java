package io.vigil.soak.internal;

import java.util.Arrays;
import java.util.Locale;

/** Capture-to-result latencies in arrival order, and their percentiles. */
final class Latencies {
  private double[] millis = new double[1024];
  private int count;

  void add(double value) {
    if (count == millis.length) {
      millis = Arrays.copyOf(millis, count * 2);
    }
    millis[count++] = value;
  }

  Latencies copy() {
    Latencies copy = new Latencies();
    copy.millis = Arrays.copyOf(millis, Math.max(1, count));
    copy.count = count;
    return copy;
  }

  int count() {
    return count;
  }

  /** The p-quantile (0..1) of the latencies from index {@code from} on: the smallest value with at least p of them at or below it. */
  double percentile(int from, double p) {
    double[] sorted = Arrays.copyOfRange(millis, from, count);
    if (sorted.length == 0) {
      return Double.NaN;
    }
    Arrays.sort(sorted);
    return sorted[Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1))];
  }

  /** One line for the summary: over all frames, and after the first tenth (start-up: JIT, first plans). */
  String describe(double rate) {
    int settled = count / 10;
    return String.format(Locale.ROOT, "latency at %.1f frames/s, capture to result, ms: all %d frames p50 %.1f, "
        + "p90 %.1f, p99 %.1f, max %.1f; after the first tenth p50 %.1f, p90 %.1f, p99 %.1f, max %.1f", rate, count,
        percentile(0, 0.5), percentile(0, 0.9), percentile(0, 0.99), percentile(0, 1), percentile(settled, 0.5),
        percentile(settled, 0.9), percentile(settled, 0.99), percentile(settled, 1));
  }
}
