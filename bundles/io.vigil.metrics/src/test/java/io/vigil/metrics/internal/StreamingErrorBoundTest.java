package io.vigil.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;

/**
 * The streamed pixel metrics against the exact ones (themselves checked against sklearn and the
 * MVTec protocol in {@link ReferenceValuesTest}) on the same generated maps: the difference never
 * exceeds the error bound the streamed result states, and that bound stays at most 0.001 on maps
 * with a realistic spread of values.
 */
class StreamingErrorBoundTest {
  private static final double STATED_BOUND = 0.001;

  /** 40 maps of 128x96 (about 490,000 pixels): smooth noise, blobs scoring higher. */
  private static List<ScoredFrame> realisticMaps(long seed, int quantisationLevels) {
    Random random = new Random(seed);
    int width = 128;
    int height = 96;
    List<ScoredFrame> frames = new ArrayList<>();
    for (int f = 0; f < 40; f++) {
      float[] map = new float[width * height];
      boolean[] mask = new boolean[width * height];
      int blobs = f < 15 ? 0 : 1 + random.nextInt(3);
      for (int b = 0; b < blobs; b++) {
        int cx = random.nextInt(width);
        int cy = random.nextInt(height);
        int r = 2 + random.nextInt(12);
        for (int y = Math.max(0, cy - r); y < Math.min(height, cy + r); y++) {
          for (int x = Math.max(0, cx - r); x < Math.min(width, cx + r); x++) {
            if ((x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r) {
              mask[y * width + x] = true;
            }
          }
        }
      }
      double offset = 0.2 * random.nextDouble();
      for (int p = 0; p < map.length; p++) {
        double value = 0.5 + offset + 0.15 * random.nextGaussian() + (mask[p] ? 0.25 + 0.1 * random.nextGaussian() : 0);
        if (quantisationLevels > 0) {
          value = Math.round(value * quantisationLevels) / (double) quantisationLevels;
        }
        map[p] = (float) value;
      }
      frames.add(Frames.pixels("map-" + f, width, height, map, mask));
    }
    return frames;
  }

  private static void assertStreamedWithinBound(LongFunction<Metric.Accumulator> metric, List<ScoredFrame> frames,
      long exactLimit, double maximumBound) {
    MetricResult exact = Frames.compute(metric.apply(Long.MAX_VALUE), frames);
    MetricResult streamed = Frames.compute(metric.apply(exactLimit), frames);
    assertEquals(1.0, exact.details().get("exact"));
    assertEquals(0.0, streamed.details().get("exact"), "past the limit the metric streams");
    double bound = streamed.details().get("error_bound");
    double error = Math.abs(streamed.value() - exact.value());
    assertTrue(error <= bound + 1e-12, "error " + error + " exceeds the stated bound " + bound);
    assertTrue(bound <= maximumBound, "bound " + bound + " above " + maximumBound);
  }

  @Test
  void pixelAurocStreamedFromTheStartStaysWithinItsBound() {
    assertStreamedWithinBound(PixelAurocAccumulator::new, realisticMaps(1, 0), 0, STATED_BOUND);
  }

  @Test
  void auproStreamedFromTheStartStaysWithinItsBound() {
    assertStreamedWithinBound(AuproAccumulator::new, realisticMaps(2, 0), 0, STATED_BOUND);
  }

  @Test
  void switchingToStreamingMidRunKeepsEveryPixel() {
    // The first ~100,000 pixels are kept exactly, then move into the histogram.
    List<ScoredFrame> frames = realisticMaps(3, 0);
    assertStreamedWithinBound(PixelAurocAccumulator::new, frames, 100_000, STATED_BOUND);
    assertStreamedWithinBound(AuproAccumulator::new, frames, 100_000, STATED_BOUND);
    assertEquals(40 * 128 * 96.0, Frames.compute(new PixelAurocAccumulator(100_000), frames).details().get("pixels"));
  }

  /**
   * Per defect type ({@code defect.a}): the pixel AUROC of the good frames and that type's frames
   * alone, the same as the exact metric run on just those frames, within the type's stated bound.
   */
  @Test
  void perDefectTypeIsTheMetricOnTheGoodFramesAndThatTypeAlone() {
    List<ScoredFrame> frames = new ArrayList<>();
    int defects = 0;
    for (ScoredFrame frame : realisticMaps(6, 0)) {
      if (frame.truth().anomalous()) {
        String type = defects++ % 3 == 0 ? "a" : "b";
        frame = new ScoredFrame(frame.id(), GroundTruth.defect(type, frame.truth().mask()), frame.score(), frame.map());
      }
      frames.add(frame);
    }
    MetricResult all = Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), frames);
    double[] perType = new double[2];
    for (int t = 0; t < 2; t++) {
      String type = t == 0 ? "a" : "b";
      List<ScoredFrame> subset = frames.stream()
          .filter(f -> !f.truth().anomalous() || f.truth().defectType().equals(type)).toList();
      double exact = Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), subset).value();
      perType[t] = all.details().get("defect." + type);
      double bound = all.details().get("defect." + type + ".error_bound");
      assertTrue(Math.abs(perType[t] - exact) <= bound + 1e-12,
          type + ": " + perType[t] + " against " + exact + ", bound " + bound);
      assertTrue(bound <= STATED_BOUND, "bound " + bound);
    }
    assertTrue(perType[0] != perType[1], "two types, two figures");
    assertTrue(all.details().keySet().stream().noneMatch(key -> key.equals("defect.good")), "good is no defect type");
  }

  @Test
  void quantisedMapsStreamExactly() {
    // 256 levels: every histogram bin holds one distinct value, so nothing is approximated.
    List<ScoredFrame> frames = realisticMaps(4, 256);
    for (LongFunction<Metric.Accumulator> metric : List.<LongFunction<Metric.Accumulator>>of(
        PixelAurocAccumulator::new, AuproAccumulator::new)) {
      MetricResult exact = Frames.compute(metric.apply(Long.MAX_VALUE), frames);
      MetricResult streamed = Frames.compute(metric.apply(0), frames);
      assertEquals(0.0, streamed.details().get("error_bound"));
      assertEquals(exact.value(), streamed.value(), 1e-12);
    }
  }

  @Test
  void theBoundStaysHonestWhenValuesCrowdIntoFewBins() {
    // Adversarial: every score within 1e-4 of 1.0 (a few bins of relative width 6e-5), defects a
    // hair higher. The bound grows past 0.001 here, and the error still stays inside it.
    Random random = new Random(5);
    List<ScoredFrame> frames = new ArrayList<>();
    for (int f = 0; f < 10; f++) {
      float[] map = new float[64 * 64];
      boolean[] mask = new boolean[map.length];
      for (int p = 0; p < map.length; p++) {
        mask[p] = f >= 5 && p % 7 == 0;
        map[p] = (float) (1.0 + 1e-4 * random.nextDouble() + (mask[p] ? 2e-5 : 0));
      }
      frames.add(Frames.pixels("crowded-" + f, 64, 64, map, mask));
    }
    MetricResult streamed = Frames.compute(new PixelAurocAccumulator(0), frames);
    MetricResult exact = Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), frames);
    double bound = streamed.details().get("error_bound");
    assertTrue(bound > STATED_BOUND, "this data should defeat the histogram's resolution, bound " + bound);
    assertTrue(Math.abs(streamed.value() - exact.value()) <= bound);
  }
}
