package io.vigil.dataset.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.SyntheticDataset.Kind;
import io.vigil.dataset.synthetic.SyntheticDataset.Sample;
import io.vigil.dataset.synthetic.SyntheticDataset.Spec;
import java.util.List;
import org.junit.jupiter.api.Test;

class LayoutBoardsTest {
  private static final int SIZE = 256;
  private static final Spec LAYOUT = new Spec(7, SIZE, 4, 2, 3, Kind.LAYOUT);

  @Test
  void theSameSpecGivesTheSameBoardAndEveryDefectIsMasked() {
    assertEquals(List.of("missing", "duplicated", "swapped", "colour", "count"), Kind.LAYOUT.defectTypes());
    assertArrayEquals(SyntheticDataset.sample(LAYOUT, "test", "count", 1).image().pixels8(),
        SyntheticDataset.sample(LAYOUT, "test", "count", 1).image().pixels8());
    for (String type : Kind.LAYOUT.defectTypes()) {
      for (int i = 0; i < 6; i++) {
        Mask mask = SyntheticDataset.sample(LAYOUT, "test", type, i).truth().mask();
        assertTrue(mask.defectPixelCount() >= 200, type + " " + i + ": " + mask.defectPixelCount());
        assertTrue(mask.defectPixelCount() < SIZE * SIZE / 16, type + " " + i + ": small parts only");
      }
    }
    assertTrue(SyntheticDataset.sample(LAYOUT, "train", "good", 0).truth().mask().isEmpty());
  }

  @Test
  void aMissingPartLeavesBareBoardAndADuplicateIsAPartOnIt() {
    for (int i = 0; i < 6; i++) {
      Sample missing = SyntheticDataset.sample(LAYOUT, "test", "missing", i);
      assertTrue(share(missing, Colour.BOARD) > 0.9, "missing " + i);
      Sample duplicated = SyntheticDataset.sample(LAYOUT, "test", "duplicated", i);
      assertTrue(share(duplicated, Colour.BOARD) < 0.3, "duplicated " + i);
    }
  }

  @Test
  void swappedColoursPutTheCyanLedWhereTheAmberOneBelongs() {
    Sample good = SyntheticDataset.sample(LAYOUT, "test", "good", 0);
    assertTrue(amberAt(good.image(), 60, 196) && !amberAt(good.image(), 196, 196));
    for (int i = 0; i < 6; i++) {
      Image swapped = SyntheticDataset.sample(LAYOUT, "test", "colour", i).image();
      assertTrue(!amberAt(swapped, 60, 196) && amberAt(swapped, 196, 196), "colour " + i);
    }
  }

  @Test
  void aWrongCountIsOneScrewMoreOrLessInTheMiddleRow() {
    double three = screwPixels(SyntheticDataset.sample(LAYOUT, "test", "good", 0).image());
    for (int i = 0; i < 6; i++) {
      double ratio = screwPixels(SyntheticDataset.sample(LAYOUT, "test", "count", i).image()) / three;
      assertTrue(Math.abs(ratio - 2 / 3.0) < 0.1 || Math.abs(ratio - 4 / 3.0) < 0.1, "count " + i + ": " + ratio);
    }
  }

  private enum Colour { BOARD }

  /** Share of masked pixels that look like the green board. */
  private static double share(Sample sample, Colour colour) {
    Image image = sample.image();
    Mask mask = sample.truth().mask();
    int hits = 0;
    int total = 0;
    for (int y = 0; y < SIZE; y++) {
      for (int x = 0; x < SIZE; x++) {
        if (mask.isDefect(x, y)) {
          total++;
          int r = image.sample(x, y, 0);
          int g = image.sample(x, y, 1);
          int b = image.sample(x, y, 2);
          hits += g > r + 30 && g > b + 20 ? 1 : 0;
        }
      }
    }
    return (double) hits / total;
  }

  /** Whether the LED near (x, y) (the layout shifts by at most 18 px) is amber: red well above blue. */
  private static boolean amberAt(Image image, int x, int y) {
    int amber = 0;
    for (int dy = -26; dy <= 26; dy++) {
      for (int dx = -26; dx <= 26; dx++) {
        int r = image.sample(x + dx, y + dy, 0);
        int b = image.sample(x + dx, y + dy, 2);
        amber += r > 200 && b < 90 ? 1 : 0;
      }
    }
    return amber > 40;
  }

  /** Grey (screw) pixels in the middle band of the board (the row at 128 px, give or take 18). */
  private static double screwPixels(Image image) {
    int grey = 0;
    for (int y = 100; y < 156; y++) {
      for (int x = 0; x < SIZE; x++) {
        int r = image.sample(x, y, 0);
        int g = image.sample(x, y, 1);
        int b = image.sample(x, y, 2);
        grey += Math.abs(r - g) < 25 && Math.abs(g - b) < 25 && r > 70 ? 1 : 0;
      }
    }
    return grey;
  }
}
