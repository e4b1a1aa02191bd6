package io.vigil.metrics.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Mask;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * A benchmark, not a test: streams synthetic 1024x1024 anomaly maps (smooth background noise,
 * round defects scoring higher) through pixel AUROC and AU-PRO and prints the time and the
 * results, exact and streamed when the exact one fits in the heap, streamed only otherwise.
 *
 * <pre>
 * ./mvnw -B -q -o test-compile -pl bundles/io.vigil.api,bundles/io.vigil.metrics
 * java -Xmx8g -cp bundles/io.vigil.metrics/target/classes:bundles/io.vigil.metrics/target/test-classes:bundles/io.vigil.api/target/classes \
 *   io.vigil.metrics.internal.PixelMetricsBenchmark FRAMES [exact|streamed|both]
 * </pre>
 */
public final class PixelMetricsBenchmark {
  private static final int SIDE = 1024;

  private PixelMetricsBenchmark() {}

  public static void main(String[] args) {
    int frames = args.length > 0 ? Integer.parseInt(args[0]) : 100;
    String mode = args.length > 1 ? args[1] : "both";
    System.out.printf(Locale.ROOT, "%d maps of %dx%d = %.3g pixels, max heap %d MiB, %d cores%n", frames, SIDE, SIDE,
        (double) frames * SIDE * SIDE, Runtime.getRuntime().maxMemory() >> 20, Runtime.getRuntime().availableProcessors());
    MetricResult[] exact = null;
    if (!mode.equals("streamed")) {
      exact = run("exact", frames, Long.MAX_VALUE);
    }
    if (!mode.equals("exact")) {
      MetricResult[] streamed = run("streamed", frames, 0);
      if (exact != null) {
        for (int i = 0; i < 2; i++) {
          System.out.printf(Locale.ROOT, "%-12s |streamed - exact| = %.2e, stated bound %.2e%n", exact[i].name(),
              Math.abs(streamed[i].value() - exact[i].value()), streamed[i].details().get("error_bound"));
        }
      }
    }
  }

  private static MetricResult[] run(String label, int frames, long exactLimit) {
    Metric.Accumulator[] accumulators = {new PixelAurocAccumulator(exactLimit), new AuproAccumulator(exactLimit)};
    long start = System.nanoTime();
    SplittableRandom random = new SplittableRandom(42);
    for (int f = 0; f < frames; f++) {
      ScoredFrame frame = syntheticFrame(f, random);
      for (Metric.Accumulator accumulator : accumulators) {
        accumulator.add(frame);
      }
    }
    long fed = System.nanoTime();
    MetricResult[] results = {accumulators[0].result(), accumulators[1].result()};
    long done = System.nanoTime();
    System.out.printf(Locale.ROOT, "%-9s fed in %.1f s, results in %.1f s%n", label, (fed - start) / 1e9, (done - fed) / 1e9);
    for (MetricResult result : results) {
      System.out.printf(Locale.ROOT, "  %-12s %.6f  exact=%s  error_bound=%.2e%n", result.name(), result.value(),
          result.details().get("exact") == 1.0, result.details().get("error_bound"));
    }
    return results;
  }

  /** Every third map is defect-free; the others carry one to three discs. */
  private static ScoredFrame syntheticFrame(int index, SplittableRandom random) {
    float[] map = new float[SIDE * SIDE];
    boolean[] mask = new boolean[SIDE * SIDE];
    int discs = index % 3 == 0 ? 0 : 1 + random.nextInt(3);
    for (int d = 0; d < discs; d++) {
      int cx = random.nextInt(SIDE);
      int cy = random.nextInt(SIDE);
      int r = 4 + random.nextInt(60);
      for (int y = Math.max(0, cy - r); y < Math.min(SIDE, cy + r); y++) {
        for (int x = Math.max(0, cx - r); x < Math.min(SIDE, cx + r); x++) {
          if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
            mask[y * SIDE + x] = true;
          }
        }
      }
    }
    double offset = 0.2 * random.nextDouble();
    for (int p = 0; p < map.length; p++) {
      // Sum of three uniforms: a cheap bell-shaped noise.
      double noise = (random.nextDouble() + random.nextDouble() + random.nextDouble() - 1.5) * 0.2;
      map[p] = (float) (0.5 + offset + noise + (mask[p] ? 0.3 + 0.1 * random.nextDouble() : 0));
    }
    Mask m = Mask.of(SIDE, SIDE, mask);
    GroundTruth truth = m.isEmpty() ? GroundTruth.good(m) : GroundTruth.defect("disc", m);
    return new ScoredFrame("synthetic-" + index, truth, 0, new AnomalyMap(SIDE, SIDE, map));
  }
}
