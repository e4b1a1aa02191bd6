package io.vigil.dataset.synthetic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.SyntheticDataset.Sample;
import io.vigil.dataset.synthetic.SyntheticDataset.Spec;
import io.vigil.image.ImageFiles;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticDatasetTest {
  private static final Spec SMALL = new Spec(3, 64, 4, 2, 2);

  @Test
  void theSameSpecGivesTheSameImages() {
    Sample a = SyntheticDataset.sample(SMALL, "test", "hole", 1);
    Sample b = SyntheticDataset.sample(SMALL, "test", "hole", 1);
    assertArrayEquals(a.image().pixels8(), b.image().pixels8());
    assertEquals(a.truth().mask(), b.truth().mask());
    Sample other = SyntheticDataset.sample(new Spec(4, 64, 4, 2, 2), "test", "hole", 1);
    assertFalse(java.util.Arrays.equals(a.image().pixels8(), other.image().pixels8()), "another seed, other images");
  }

  @Test
  void theImagesAreKnownBytes() throws Exception {
    // Pins the generator: a change of these bytes changes every demo and test that relies on them.
    Sample sample = SyntheticDataset.sample(Spec.defaults(), "train", "good", 0);
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(sample.image().pixels8()));
    assertEquals(EXPECTED_DIGEST, digest);
  }

  /** SHA-256 of the pixels of train/good/000.png of the default spec. */
  private static final String EXPECTED_DIGEST = "99abb649c5fa57175a94939a0f98efa61b326e7cf619c58aad9297c0a9040c18";

  @Test
  void everyDefectIsMaskedAndVisibleAndGoodImagesAreClean() {
    for (String type : SyntheticDataset.DEFECT_TYPES) {
      for (int i = 0; i < 5; i++) {
        Sample sample = SyntheticDataset.sample(Spec.defaults(), "test", type, i);
        Mask mask = sample.truth().mask();
        assertTrue(sample.truth().anomalous());
        assertEquals(type, sample.truth().defectType());
        int pixels = mask.width() * mask.height();
        assertTrue(mask.defectPixelCount() > 10, type + " " + i + " masks " + mask.defectPixelCount() + " pixels");
        assertTrue(mask.defectPixelCount() < pixels / 5, type + " " + i + " is a small defect");
        double contrast = Math.abs(meanGrey(sample.image(), mask, true) - meanGrey(sample.image(), mask, false));
        assertTrue(contrast > 15, type + " " + i + " stands out from the surface: " + contrast);
      }
    }
    Sample good = SyntheticDataset.sample(Spec.defaults(), "test", "good", 0);
    assertFalse(good.truth().anomalous());
    assertTrue(good.truth().mask().isEmpty());
  }

  @Test
  void theDataSetIsWrittenInTheMvtecLayoutWithMasks(@TempDir Path directory) throws Exception {
    Path root = directory.resolve("synthetic");
    int[] progress = {0};
    assertTrue(SyntheticDataset.generate(root, SMALL, (done, total) -> progress[0] = done));
    assertEquals(SMALL.imageCount(), progress[0]);
    assertEquals(4, count(root.resolve("train/good")));
    assertEquals(2, count(root.resolve("test/good")));
    for (String type : SyntheticDataset.DEFECT_TYPES) {
      assertEquals(2, count(root.resolve("test").resolve(type)));
      assertEquals(2, count(root.resolve("ground_truth").resolve(type)));
    }
    Image written = ImageFiles.read(root.resolve("test/scratch/001.png"));
    assertArrayEquals(SyntheticDataset.sample(SMALL, "test", "scratch", 1).image().pixels8(), written.pixels8());
    Mask mask = ImageFiles.readMask(root.resolve("ground_truth/scratch/001_mask.png"));
    assertEquals(SyntheticDataset.sample(SMALL, "test", "scratch", 1).truth().mask(), mask);
    assertTrue(SyntheticDataset.isComplete(root, SMALL));
    try (Stream<Path> siblings = Files.list(directory)) {
      assertEquals(List.of(root), siblings.toList(), "no temporary folder left behind");
    }
  }

  @Test
  void aStoppedGenerationLeavesNothingBehind(@TempDir Path directory) throws Exception {
    Path root = directory.resolve("synthetic");
    assertThrows(InterruptedException.class, () -> SyntheticDataset.generate(root, SMALL, (done, total) -> {
      if (done == 3) {
        Thread.currentThread().interrupt(); // as Ctrl-C does to ./vigil generate-dataset
      }
    }));
    Thread.interrupted();
    try (Stream<Path> left = Files.list(directory)) {
      assertEquals(List.of(), left.toList(), "neither the data set nor its partial folder");
    }
  }

  @Test
  void anExistingDataSetOfTheSameSpecIsKeptAndAnythingElseIsRefused(@TempDir Path directory) throws Exception {
    Path root = directory.resolve("synthetic");
    assertTrue(SyntheticDataset.generate(root, SMALL, SyntheticDataset.Progress.NONE));
    assertFalse(SyntheticDataset.generate(root, SMALL, SyntheticDataset.Progress.NONE), "reused");
    FileAlreadyExistsException other = assertThrows(FileAlreadyExistsException.class,
        () -> SyntheticDataset.generate(root, new Spec(9, 64, 4, 2, 2), SyntheticDataset.Progress.NONE));
    assertTrue(other.getMessage().contains("another spec"), other.getMessage());
    Path busy = Files.createDirectories(directory.resolve("busy"));
    Files.writeString(busy.resolve("notes.txt"), "mine");
    FileAlreadyExistsException notEmpty = assertThrows(FileAlreadyExistsException.class,
        () -> SyntheticDataset.generate(busy, SMALL, SyntheticDataset.Progress.NONE));
    assertTrue(notEmpty.getMessage().contains("not empty"), notEmpty.getMessage());
    assertEquals("mine", Files.readString(busy.resolve("notes.txt")));
  }

  @Test
  void badSpecsAreRefusedWithTheReason() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Spec(1, 8, 4, 1, 1)).getMessage()
        .contains("32..2048"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new Spec(1, 64, 0, 1, 1)).getMessage()
        .contains("at least one training image"));
  }

  private static double meanGrey(Image image, Mask mask, boolean inside) {
    double sum = 0;
    int n = 0;
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        if (mask.isDefect(x, y) == inside) {
          sum += (image.sample(x, y, 0) + image.sample(x, y, 1) + image.sample(x, y, 2)) / 3.0;
          n++;
        }
      }
    }
    return sum / n;
  }

  private static long count(Path directory) throws Exception {
    try (Stream<Path> files = Files.list(directory)) {
      return files.count();
    }
  }
}
