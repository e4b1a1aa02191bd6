package io.vigil.detector.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ValidationSetTest {

  /** A grey textured surface of any size. */
  static Image surface(int width, int height, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double value = 110 + 25 * Math.sin(x * 0.4) + 15 * Math.cos(y * 0.25) + random.nextGaussian() * 5;
        pixels[y * width + x] = (byte) Math.max(0, Math.min(255, value));
      }
    }
    return Image.of8Bit(width, height, 1, pixels);
  }

  @Test
  void everyDefectChangesOnlyItsMaskAndMostOfIt() {
    Random random = new Random(11);
    for (DefectKind kind : DefectKind.values()) {
      for (int trial = 0; trial < 10; trial++) {
        Image good = surface(96, 80, trial);
        SyntheticDefect defect = SyntheticDefects.paste(good, kind, random);
        Mask mask = defect.mask();
        assertEquals(96, mask.width());
        assertEquals(80, mask.height());
        assertFalse(mask.isEmpty(), kind + " marks pixels");
        assertTrue(mask.defectPixelCount() < 96 * 80 / 4, kind + " is local: " + mask);
        byte[] before = good.pixels8();
        byte[] after = defect.image().pixels8();
        int changedInside = 0;
        for (int i = 0; i < before.length; i++) {
          if (before[i] != after[i]) {
            assertTrue(mask.isDefect(i), kind + " changed pixel " + i + " outside its mask");
            changedInside++;
          }
        }
        assertTrue(changedInside * 2 >= mask.defectPixelCount(),
            kind + ": " + changedInside + " of " + mask.defectPixelCount() + " masked pixels changed");
      }
    }
  }

  @Test
  void shadesAreLargerAndFainterThanHoles() {
    Random random = new Random(3);
    double shadeArea = 0;
    double holeArea = 0;
    for (int trial = 0; trial < 10; trial++) {
      Image good = surface(160, 120, trial);
      double std = brightnessStd(good.pixels8());
      SyntheticDefect shade = SyntheticDefects.paste(good, DefectKind.SHADE, random);
      SyntheticDefect hole = SyntheticDefects.paste(good, DefectKind.HOLE, random);
      shadeArea += shade.mask().defectPixelCount();
      holeArea += hole.mask().defectPixelCount();
      double shadeChange = largestChange(good, shade);
      // Faint: at most 1.5 standard deviations (or the 6-level floor), plus rounding.
      assertTrue(shadeChange <= Math.max(6, 1.5 * std) + 0.5, "shade changes " + shadeChange + " at std " + std);
      assertTrue(shadeChange >= Math.max(6, 0.75 * std) - 0.5, "shade changes " + shadeChange + " at std " + std);
      // Holes are clear: at least 2 standard deviations where the surface leaves room to darken.
      assertTrue(largestChange(good, hole) >= Math.max(12, 2 * std) - 0.5, "hole at std " + std);
    }
    assertTrue(shadeArea > 4 * holeArea, "shades " + shadeArea / 10 + " px, holes " + holeArea / 10 + " px");
  }

  private static double largestChange(Image good, SyntheticDefect defect) {
    byte[] before = good.pixels8();
    byte[] after = defect.image().pixels8();
    int largest = 0;
    for (int i = 0; i < before.length; i++) {
      largest = Math.max(largest, Math.abs((after[i] & 0xff) - (before[i] & 0xff)));
    }
    return largest;
  }

  private static double brightnessStd(byte[] pixels) {
    double mean = 0;
    for (byte p : pixels) {
      mean += p & 0xff;
    }
    mean /= pixels.length;
    double variance = 0;
    for (byte p : pixels) {
      variance += ((p & 0xff) - mean) * ((p & 0xff) - mean);
    }
    return Math.sqrt(variance / pixels.length);
  }

  @Test
  void theSplitPairsEachHeldOutImageWithADefectiveCopyOfEveryKindInTurn() {
    List<Image> heldOut = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      heldOut.add(surface(150 + 10 * i, 120, 100 + i));
    }
    ValidationSet set = ValidationSet.of(heldOut, 64, ValidationSet.ALL_KINDS, new Random(5));
    assertEquals(8, set.good().size());
    assertEquals(8, set.defective().size());
    assertEquals(EnumSet.allOf(DefectKind.class),
        EnumSet.copyOf(set.defective().stream().map(SyntheticDefect::kind).toList()));
    // The training loops' split: the clear kinds only, in turn.
    assertEquals(List.of(DefectKind.SCRATCH, DefectKind.STAIN, DefectKind.CUT_PASTE, DefectKind.HOLE,
            DefectKind.SCRATCH, DefectKind.STAIN, DefectKind.CUT_PASTE, DefectKind.HOLE),
        ValidationSet.of(heldOut, 64, new Random(5)).defective().stream().map(SyntheticDefect::kind).toList());
    for (int i = 0; i < 8; i++) {
      Image good = set.good().get(i);
      assertEquals(64, good.width());
      assertEquals(64, good.height());
      assertEquals(64, set.masks().get(i).width());
      // The defective image is the good one with the defect: equal outside the mask.
      byte[] a = good.pixels8();
      byte[] b = set.defective().get(i).image().pixels8();
      for (int p = 0; p < a.length; p++) {
        if (!set.masks().get(i).isDefect(p)) {
          assertEquals(a[p], b[p]);
        }
      }
    }
    assertEquals(16, set.images().size());
    // Deterministic per seed, different across seeds.
    assertEquals(set.masks(), ValidationSet.of(heldOut, 64, ValidationSet.ALL_KINDS, new Random(5)).masks());
    assertNotEquals(set.masks(), ValidationSet.of(heldOut, 64, ValidationSet.ALL_KINDS, new Random(6)).masks());
  }

  @Test
  void resizingAConstantImageKeepsItsValueAndDownsamplingAverages() {
    byte[] constant = new byte[30 * 20];
    Arrays.fill(constant, (byte) 77);
    Image resized = ValidationSet.resize(Image.of8Bit(30, 20, 1, constant), 13, 9);
    for (byte v : resized.pixels8()) {
      assertEquals(77, v & 0xff);
    }
    // 4 -> 2 columns: output pixels average source pairs (0, 1) and (2, 3).
    Image row = Image.of8Bit(4, 1, 1, new byte[] {10, 20, 30, 50});
    assertEquals(List.of(15, 40), toList(ValidationSet.resize(row, 2, 1).pixels8()));
  }

  @Test
  void metricsRankDefectsAgainstGoodImagesAndPixelsAgainstMasks() {
    boolean[] defect = new boolean[4];
    defect[3] = true;
    Mask mask = Mask.of(2, 2, defect);
    AnomalyMap good = new AnomalyMap(2, 2, new float[] {0.1f, 0.2f, 0.3f, 0.4f});
    AnomalyMap found = new AnomalyMap(2, 2, new float[] {0.1f, 0.1f, 0.1f, 0.9f});
    ValidationMetrics perfect = ValidationMetrics.of(List.of(good), List.of(found), List.of(mask));
    assertEquals(1.0, perfect.imageAuroc(), 1e-12);
    assertEquals(1.0, perfect.pixelAuroc(), 1e-12);
    // The defect scored below the good image's top: image AUROC 0. Pixels: 0.35 against the 7
    // negatives 0.1, 0.2, 0.3, 0.4 (good) and 0.1 x3 (defective image): above 6 of them.
    AnomalyMap missed = new AnomalyMap(2, 2, new float[] {0.1f, 0.1f, 0.1f, 0.35f});
    ValidationMetrics weak = ValidationMetrics.of(List.of(good), List.of(missed), List.of(mask));
    assertEquals(0.0, weak.imageAuroc(), 1e-12);
    assertEquals(6.0 / 7, weak.pixelAuroc(), 1e-12);
    // Stride 2 keeps pixel (0, 0) of each 2x2 map only: 0.1 (good) against 0.1 (defect's, negative).
    assertEquals(Double.NaN, ValidationMetrics.of(List.of(good), List.of(found), List.of(mask), 2).pixelAuroc());
    // Ties count half (scikit-learn): scores [1, 1, 0] labels [1, 0, 0] -> (0.5 + 1) / 2.
    assertEquals(0.75, ValidationMetrics.auroc(new double[] {1, 1, 0}, new boolean[] {true, false, false}), 1e-12);
  }

  private static List<Integer> toList(byte[] bytes) {
    List<Integer> values = new ArrayList<>();
    for (byte b : bytes) {
      values.add(b & 0xff);
    }
    return values;
  }
}
