package io.vigil.source.mvtec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameStream;
import io.vigil.image.ImageFormatException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MvtecAdFormatTest {
  @TempDir Path dir;
  private final MvtecAdFormat format = new MvtecAdFormat();

  @Test
  void listsSplitsWithLabelsAndMasks() throws IOException {
    Path bottle = Layouts.mvtecAd(dir.resolve("bottle"), "png");
    assertTrue(format.recognizes(bottle));
    assertEquals(List.of("train", "test"), format.splits(bottle));
    assertEquals(List.of(), format.categories(bottle));

    List<DatasetItem> train = format.items(bottle, "train");
    assertEquals(2, train.size());
    assertTrue(train.stream().allMatch(i -> i.labelled() && !i.anomalous() && i.mask() == null));

    List<DatasetItem> test = format.items(bottle, "test");
    assertEquals(List.of("test/crack/000.png", "test/crack/001.png", "test/good/000.png"),
        test.stream().map(DatasetItem::id).toList());
    assertEquals(bottle.resolve("ground_truth/crack/001_mask.png"), test.get(1).mask());
  }

  @Test
  void testFramesCarryLabelDefectTypeAndMaskAllZeroForGood() throws Exception {
    Path bottle = Layouts.mvtecAd(dir.resolve("bottle"), "jpg");
    List<Frame> frames = new ArrayList<>();
    try (FrameStream stream = format.open(bottle, "test").open()) {
      assertEquals(3, stream.size().getAsInt());
      while (!stream.isExhausted()) {
        frames.add(stream.next(Duration.ZERO));
      }
    }
    assertEquals("crack", frames.get(0).groundTruth().defectType());
    assertEquals(3, frames.get(0).groundTruth().mask().defectPixelCount());
    assertEquals(5, frames.get(1).groundTruth().mask().defectPixelCount());
    Frame good = frames.get(2);
    assertFalse(good.groundTruth().anomalous());
    assertTrue(good.groundTruth().mask().isEmpty());
    assertEquals(8, good.groundTruth().mask().width());
    assertEquals("test", good.metadata().get("split"));
    assertEquals("bottle", good.metadata().get("category"));
  }

  @Test
  void aMissingSplitNamesTheSplitsThereAre() throws IOException {
    Path bottle = Layouts.mvtecAd(dir.resolve("bottle"), "png");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> format.open(bottle, "validation"));
    assertTrue(e.getMessage().contains("no split 'validation'") && e.getMessage().contains("train, test"),
        e.getMessage());
  }

  @Test
  void aDefectiveImageWithoutItsMaskNamesTheMaskExpected() throws IOException {
    Path bottle = Layouts.mvtecAd(dir.resolve("bottle"), "png");
    Files.delete(bottle.resolve("ground_truth/crack/001_mask.png"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> format.items(bottle, "test"));
    assertTrue(e.getMessage().contains("001_mask.png") && e.getMessage().contains("test/crack/001.png"),
        e.getMessage());
  }

  @Test
  void aMaskOfAnotherSizeIsRefusedWhenTheSplitOpens() throws IOException {
    Path bottle = Layouts.mvtecAd(dir.resolve("bottle"), "png");
    Layouts.mask(bottle.resolve("ground_truth/crack/000_mask.png"), 6, 8, 1);
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> format.open(bottle, "test"));
    assertTrue(e.getMessage().contains("6x8") && e.getMessage().contains("8x6"), e.getMessage());
  }

  @Test
  void aWholeDataSetListsItsCategoriesAndRefusesToOpenAsOne() throws IOException {
    Layouts.mvtecAd(dir.resolve("bottle"), "png");
    Layouts.mvtecAd(dir.resolve("cable"), "png");
    Files.createDirectories(dir.resolve("license_only"));
    assertTrue(format.recognizes(dir));
    assertEquals(List.of("bottle", "cable"), format.categories(dir));
    assertEquals(List.of("train", "test"), format.splits(dir));
    IOException e = assertThrows(IOException.class, () -> format.open(dir, "test"));
    assertTrue(e.getMessage().contains("open one of its categories: bottle, cable"), e.getMessage());
  }

  @Test
  void otherLayoutsAreNotMvtecAd() throws IOException {
    Layouts.image(dir.resolve("cat/train/good/rgb/000.png"), 4, 4);
    Files.createDirectories(dir.resolve("cat/test"));
    assertFalse(format.recognizes(dir.resolve("cat")), "MVTec 3D-AD");
    assertFalse(format.recognizes(dir.resolve("missing")));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> format.items(dir.resolve("missing"), "test"));
    assertTrue(e.getMessage().contains("missing"));
    IOException notOurs = assertThrows(IOException.class, () -> format.items(dir.resolve("cat"), "test"));
    assertTrue(notOurs.getMessage().contains("is not a MVTec AD category"), notOurs.getMessage());
    assertNull(format.categories(dir).stream().findFirst().orElse(null));
  }
}
