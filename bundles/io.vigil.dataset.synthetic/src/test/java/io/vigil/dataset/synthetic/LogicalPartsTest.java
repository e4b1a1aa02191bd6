package io.vigil.dataset.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.SyntheticDataset.Kind;
import io.vigil.dataset.synthetic.SyntheticDataset.Sample;
import io.vigil.dataset.synthetic.SyntheticDataset.Spec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogicalPartsTest {
  private static final Spec LOGICAL = new Spec(7, 128, 4, 2, 3, Kind.LOGICAL);

  @Test
  void theSameSpecGivesTheSamePartAndAnotherSeedAnother() {
    Sample a = SyntheticDataset.sample(LOGICAL, "test", "swapped", 2);
    assertArrayEquals(a.image().pixels8(), SyntheticDataset.sample(LOGICAL, "test", "swapped", 2).image().pixels8());
    Spec other = new Spec(8, 128, 4, 2, 3, Kind.LOGICAL);
    assertFalse(java.util.Arrays.equals(a.image().pixels8(), SyntheticDataset.sample(other, "test", "swapped", 2)
        .image().pixels8()));
  }

  @Test
  void eachStructuralDefectIsMaskedWhereThePartChangedAndGoodPartsHaveNoMask() {
    assertEquals(List.of("missing", "duplicated", "swapped", "screws"), Kind.LOGICAL.defectTypes());
    for (String type : Kind.LOGICAL.defectTypes()) {
      for (int i = 0; i < 6; i++) {
        Sample sample = SyntheticDataset.sample(LOGICAL, "test", type, i);
        Mask mask = sample.truth().mask();
        assertEquals(type, sample.truth().defectType());
        assertTrue(mask.defectPixelCount() >= 100, type + " " + i + ": " + mask.defectPixelCount() + " pixels");
        assertTrue(mask.defectPixelCount() < 128 * 128 / 8, type + " " + i + " is one part's area or two");
        // Inside the mask the colours are a component's or the bare board's; every defect changes what is there.
        assertTrue(boardShare(sample.image(), mask) > 0.1 || componentShare(sample.image(), mask) > 0.5,
            type + " " + i);
      }
    }
    Sample good = SyntheticDataset.sample(LOGICAL, "train", "good", 0);
    assertTrue(good.truth().mask().isEmpty());
  }

  @Test
  void aMissingPartLeavesBareBoardWhereItsMaskIs() {
    for (int i = 0; i < 6; i++) {
      Sample sample = SyntheticDataset.sample(LOGICAL, "test", "missing", i);
      assertTrue(boardShare(sample.image(), sample.truth().mask()) > 0.9, "missing " + i + ": the board shows");
    }
    for (int i = 0; i < 6; i++) {
      Sample sample = SyntheticDataset.sample(LOGICAL, "test", "duplicated", i);
      assertTrue(boardShare(sample.image(), sample.truth().mask()) < 0.4, "duplicated " + i + ": a part is there");
    }
  }

  @Test
  void aLogicalDataSetIsWrittenWithItsKindRecorded(@TempDir Path directory) throws Exception {
    Path root = directory.resolve("logical");
    assertTrue(SyntheticDataset.generate(root, LOGICAL, SyntheticDataset.Progress.NONE));
    for (String type : Kind.LOGICAL.defectTypes()) {
      try (Stream<Path> files = Files.list(root.resolve("test").resolve(type))) {
        assertEquals(3, files.count(), type);
      }
    }
    assertTrue(Files.readString(root.resolve(SyntheticDataset.MARKER)).contains("kind=logical"));
    assertTrue(SyntheticDataset.isComplete(root, LOGICAL));
    assertFalse(SyntheticDataset.isComplete(root, new Spec(7, 128, 4, 2, 3)), "a surface spec is another data set");
  }

  /** Share of masked pixels that look like the green board (green well above red and blue). */
  private static double boardShare(Image image, Mask mask) {
    int board = 0;
    int total = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        if (mask.isDefect(x, y)) {
          total++;
          int r = image.sample(x, y, 0);
          int g = image.sample(x, y, 1);
          int b = image.sample(x, y, 2);
          if (g > r + 30 && g > b + 20) {
            board++;
          }
        }
      }
    }
    return (double) board / total;
  }

  private static double componentShare(Image image, Mask mask) {
    return 1 - boardShare(image, mask);
  }
}
