package io.vigil.metrics.internal;

import static io.vigil.metrics.internal.Frames.defect;
import static io.vigil.metrics.internal.Frames.good;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.metric.CurvePoint;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.metric.StandardMetrics;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tiny cases whose expected values are worked out by hand in the comments. */
class HandComputedMetricsTest {
  private static final double EXACT = 1e-12;

  /** Two good images (0.5, 0.2), a crack at 0.8 and a hole at 0.5: one tie across the classes. */
  private static final List<ScoredFrame> FOUR = List.of(good(0.5), good(0.2), defect("crack", 0.8), defect("hole", 0.5));

  @Test
  void imageAurocCountsATieAsHalf() {
    // Defect-good pairs: 0.8>0.5 (1), 0.8>0.2 (1), 0.5=0.5 (1/2), 0.5>0.2 (1): 3.5 of 4 = 0.875.
    MetricResult result = new ImageAurocMetric().compute(FOUR);
    assertEquals(0.875, result.value(), EXACT);
    // crack vs good: 0.8 beats both = 1.0; hole vs good: 0.5 ties 0.5 and beats 0.2 = 1.5/2 = 0.75.
    assertEquals(1.0, result.details().get("defect.crack"), EXACT);
    assertEquals(0.75, result.details().get("defect.hole"), EXACT);
    assertEquals(2.0, result.details().get("images.good"));
    assertEquals(1.0, result.details().get("images.hole"));
  }

  @Test
  void rocHasOnePointPerDistinctScore() {
    // Thresholds falling: +inf -> (0,0); 0.8 flags the crack -> (0, 1/2); 0.5 flags a good and the
    // hole -> (1/2, 1); 0.2 flags the last good -> (1, 1). Area: 0.5*1/2 + 1*1/2 ... = 0.875.
    MetricResult result = new RocMetric().compute(FOUR);
    assertEquals(List.of(new CurvePoint(0, 0, Double.POSITIVE_INFINITY), new CurvePoint(0, 0.5, 0.8),
        new CurvePoint(0.5, 1, 0.5), new CurvePoint(1, 1, 0.2)), result.curve());
    assertEquals(0.875, result.value(), EXACT);
  }

  @Test
  void f1MaxPicksTheBestThreshold() {
    // t=0.8: TP 1, FP 0, FN 1 -> 2/3. t=0.5: TP 2, FP 1, FN 0 -> 4/5. t=0.2: TP 2, FP 2 -> 4/6.
    MetricResult result = new F1MaxMetric().compute(FOUR);
    assertEquals(0.8, result.value(), EXACT);
    assertEquals(0.5, result.details().get(StandardMetrics.THRESHOLD), EXACT);
    assertEquals(2.0 / 3, result.details().get("precision"), EXACT);
    assertEquals(1.0, result.details().get("recall"), EXACT);
    // crack alone vs good: t=0.8 gives TP 1, FP 0, FN 0 -> 1.
    assertEquals(1.0, result.details().get("defect.crack"), EXACT);
  }

  @Test
  void f1MaxTiesGoToTheLowestThreshold() {
    // Defect 0.9, good 0.8, good 0.7, defect 0.6 (P = 2), F1 = 2TP / (2TP + FP + FN):
    // t=0.9 -> 2/(2+0+1) = 2/3; t=0.8 -> 2/(2+1+1) = 1/2; t=0.7 -> 2/(2+2+1) = 2/5;
    // t=0.6 -> 4/(4+2+0) = 2/3. 0.9 and 0.6 tie at 2/3: the lowest threshold, 0.6, wins.
    MetricResult result = new F1MaxMetric().compute(
        List.of(defect("d", 0.9), good(0.8), good(0.7), defect("d", 0.6)));
    assertEquals(2.0 / 3, result.value(), EXACT);
    assertEquals(0.6, result.details().get(StandardMetrics.THRESHOLD), EXACT);
  }

  @Test
  void zeroMissThresholdIsTheLowestDefectScore() {
    // Defects 0.8 and 0.5: 0.5 flags both. Good images at or above 0.5: one of two -> 0.5.
    MetricResult result = new ZeroMissThresholdMetric().compute(FOUR);
    assertEquals(0.5, result.value(), EXACT);
    assertEquals(0.5, result.details().get(StandardMetrics.FALSE_REJECT_RATE), EXACT);
    // Catching cracks alone needs 0.8, which no good image reaches.
    assertEquals(0.8, result.details().get("defect.crack"), EXACT);
    assertEquals(0.0, result.details().get("defect.crack.false_reject_rate"), EXACT);
  }

  @Test
  void pixelAurocAndAuproOnTwoTinyMaps() {
    // Frame A, 4x1: map [0.9, 0.3, 0.5, 0.1], mask [1, 1, 0, 0]: one region of 2 pixels.
    // Frame B, 2x1, good: map [0.2, 0.4].
    List<ScoredFrame> frames = List.of(
        Frames.pixels("a", 4, 1, new float[] {0.9f, 0.3f, 0.5f, 0.1f}, new boolean[] {true, true, false, false}),
        Frames.pixels("b", 2, 1, new float[] {0.2f, 0.4f}, null));
    // Pixel AUROC: defect 0.9 beats the 4 good pixels, 0.3 beats 0.1 and 0.2: 6 of 8 = 0.75.
    assertEquals(0.75, Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), frames).value(), EXACT);
    // AU-PRO: falling thresholds give (FPR, PRO): 0.9 -> (0, 1/2); 0.5 -> (1/4, 1/2);
    // 0.4 -> (1/2, 1/2); 0.3 -> (1/2, 1); ... Area to FPR 0.3: 0 + 1/4 * 1/2 + 0.05 * 1/2
    // (interpolated at 0.3 on the flat stretch) = 0.15; divided by 0.3 = 0.5.
    MetricResult aupro = Frames.compute(new AuproAccumulator(Long.MAX_VALUE), frames);
    assertEquals(0.5, aupro.value(), EXACT);
    assertEquals(1.0, aupro.details().get("regions"));
  }

  @Test
  void auproWeighsRegionsEquallyWhateverTheirSize() {
    // 5x1 map [0.9, 0.8, 0.7, 0.1, 0.6], mask [1, 1, 1, 0, 1]: regions {0,1,2} (3 px) and {4}.
    // 2x1 good map [0.2, 0.3]. Good pixels: 0.1, 0.2, 0.3 (3 of them).
    // Falling thresholds: 0.9 -> PRO 1/3 / 2 = 1/6; 0.8 -> 2/6; 0.7 -> 3/6; 0.6 -> 1 (the single
    // pixel region counts as much as the big one); FPR is 0 for all of them, so the curve reaches
    // (0, 1) and AU-PRO is 1: every region fully found before any good pixel.
    List<ScoredFrame> frames = List.of(
        Frames.pixels("a", 5, 1, new float[] {0.9f, 0.8f, 0.7f, 0.1f, 0.6f}, new boolean[] {true, true, true, false, true}),
        Frames.pixels("b", 2, 1, new float[] {0.2f, 0.3f}, null));
    assertEquals(1.0, Frames.compute(new AuproAccumulator(Long.MAX_VALUE), frames).value(), EXACT);
    // [0.9, 0.8, 0.7, 0.1, 0.25]: at 0.7 PRO = 1/2 with FPR 0; 0.3 -> FPR 1/3 > 0.3; so the area
    // to 0.3 is the flat 1/2 * 0.3 = 0.15 plus nothing from the rising part (it starts at 1/3):
    // AU-PRO = 0.15 / 0.3 = 0.5.
    List<ScoredFrame> lowered = List.of(
        Frames.pixels("a", 5, 1, new float[] {0.9f, 0.8f, 0.7f, 0.1f, 0.25f}, new boolean[] {true, true, true, false, true}),
        Frames.pixels("b", 2, 1, new float[] {0.2f, 0.3f}, null));
    assertEquals(0.5, Frames.compute(new AuproAccumulator(Long.MAX_VALUE), lowered).value(), EXACT);
  }

  @Test
  void regionsAreEightConnected() {
    // 4x3 mask:  X . . .
    //            . X . .
    //            . . . X
    // (0,0) and (1,1) touch at a corner: one region of 2; (3,2) is not adjacent to (1,1): region 2.
    boolean[] mask = new boolean[12];
    mask[0] = true;
    mask[5] = true;
    mask[11] = true;
    Regions regions = Regions.of(io.vigil.api.image.Mask.of(4, 3, mask));
    assertEquals(2, regions.count());
    assertEquals(2, regions.sizes[0]);
    assertEquals(1, regions.sizes[1]);
    assertEquals(regions.labels[0], regions.labels[5]);
    assertTrue(regions.labels[11] != regions.labels[0]);
  }

  @Test
  void undefinedWithoutBothClasses() {
    assertTrue(Double.isNaN(new ImageAurocMetric().compute(List.of(good(0.1), good(0.2))).value()));
    assertTrue(Double.isNaN(new ZeroMissThresholdMetric().compute(List.of(good(0.1))).value()));
  }

  @Test
  void aDefectiveFrameWithoutMaskLeavesPixelMetricsWithoutValue() {
    ScoredFrame noMask = new ScoredFrame("x", io.vigil.api.image.GroundTruth.defect("crack", null), 1,
        new io.vigil.api.detector.AnomalyMap(1, 1, new float[] {1}));
    ScoredFrame goodFrame = Frames.pixels("g", 1, 1, new float[] {0}, null);
    MetricResult result = Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), List.of(noMask, goodFrame));
    assertTrue(Double.isNaN(result.value()));
    assertEquals(1.0, result.details().get("frames_without_mask"));
  }

  @Test
  void badMapsAreRejectedWithTheFrameName() {
    ScoredFrame nan = Frames.pixels("nan-frame", 2, 1, new float[] {0.1f, Float.NaN}, null);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new PixelAurocAccumulator(Long.MAX_VALUE).add(nan));
    assertTrue(e.getMessage().contains("nan-frame"), e.getMessage());

    ScoredFrame mismatch = new ScoredFrame("small-map", io.vigil.api.image.GroundTruth.defect("crack",
        io.vigil.api.image.Mask.of(2, 2, new boolean[] {true, false, false, false})), 1,
        new io.vigil.api.detector.AnomalyMap(1, 1, new float[] {1}));
    e = assertThrows(IllegalArgumentException.class, () -> new AuproAccumulator(Long.MAX_VALUE).add(mismatch));
    assertTrue(e.getMessage().contains("small-map") && e.getMessage().contains("2x2"), e.getMessage());

    ScoredFrame noMap = good(0.5);
    assertThrows(IllegalArgumentException.class, () -> new AuproAccumulator(Long.MAX_VALUE).add(noMap));
  }
}
