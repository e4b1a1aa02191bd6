package io.vigil.source.mvtec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MVTec 3D-AD (RGB), MVTec AD 2 and VisA 1cls layouts. */
class OtherFormatsTest {
  @TempDir Path dir;

  @Test
  void mvtec3dAdReadsRgbWithMasksOfTheSameName() throws Exception {
    Path bagel = dir.resolve("bagel");
    Layouts.image(bagel.resolve("train/good/rgb/000.png"), 8, 6);
    Files.createDirectories(bagel.resolve("train/good/xyz"));
    Layouts.image(bagel.resolve("validation/good/rgb/000.png"), 8, 6);
    Layouts.image(bagel.resolve("test/good/rgb/000.png"), 8, 6);
    Layouts.mask(bagel.resolve("test/good/gt/000.png"), 8, 6, 0);
    Layouts.image(bagel.resolve("test/hole/rgb/000.png"), 8, 6);
    Layouts.mask(bagel.resolve("test/hole/gt/000.png"), 8, 6, 4);

    Mvtec3dAdFormat format = new Mvtec3dAdFormat();
    assertTrue(format.recognizes(bagel));
    assertFalse(new MvtecAdFormat().recognizes(bagel));
    assertEquals(List.of("train", "validation", "test"), format.splits(bagel));
    List<DatasetItem> test = format.items(bagel, "test");
    assertEquals(List.of("test/good/rgb/000.png", "test/hole/rgb/000.png"), test.stream().map(DatasetItem::id).toList());
    try (FrameStream stream = format.open(bagel, "test").open()) {
      Frame good = stream.next(Duration.ZERO);
      Frame hole = stream.next(Duration.ZERO);
      assertTrue(good.groundTruth().mask().isEmpty());
      assertEquals("hole", hole.groundTruth().defectType());
      assertEquals(4, hole.groundTruth().mask().defectPixelCount());
    }

    Files.delete(bagel.resolve("test/hole/gt/000.png"));
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> format.items(bagel, "test"));
    assertTrue(e.getMessage().contains("test/hole/rgb/000.png"), e.getMessage());
  }

  @Test
  void mvtecAd2HasPublicLabelsAndUnlabelledPrivateTests() throws IOException {
    Path can = dir.resolve("can");
    Layouts.image(can.resolve("train/good/000_regular.png"), 8, 6);
    Layouts.image(can.resolve("validation/good/000_regular.png"), 8, 6);
    Layouts.image(can.resolve("test_public/good/000_regular.png"), 8, 6);
    Layouts.image(can.resolve("test_public/bad/000_overexposed.png"), 8, 6);
    Layouts.mask(can.resolve("test_public/ground_truth/bad/000_overexposed_mask.png"), 8, 6, 2);
    Layouts.image(can.resolve("test_private/000.png"), 8, 6);
    Layouts.image(can.resolve("test_private/001.png"), 8, 6);

    MvtecAd2Format format = new MvtecAd2Format();
    assertTrue(format.recognizes(can));
    assertFalse(new MvtecAdFormat().recognizes(can), "no test/ directory: not MVTec AD");
    assertEquals(List.of("train", "validation", "test_public", "test_private"), format.splits(can));
    List<DatasetItem> test = format.items(can, "test_public");
    assertEquals(2, test.size());
    DatasetItem bad = test.get(0);
    assertEquals("bad", bad.defectType());
    assertEquals(can.resolve("test_public/ground_truth/bad/000_overexposed_mask.png"), bad.mask());
    assertFalse(test.get(1).anomalous());
    List<DatasetItem> hidden = format.items(can, "test_private");
    assertEquals(2, hidden.size());
    assertFalse(hidden.get(0).labelled());
    assertNull(hidden.get(0).mask());
  }

  @Test
  void visaReadsTheOneClassSplitFile() throws Exception {
    Path visa = dir.resolve("visa");
    Layouts.image(visa.resolve("candle/Data/Images/Normal/0000.JPG"), 8, 6);
    Layouts.image(visa.resolve("candle/Data/Images/Normal/0001.JPG"), 8, 6);
    Layouts.image(visa.resolve("candle/Data/Images/Anomaly/000.JPG"), 8, 6);
    Layouts.mask(visa.resolve("candle/Data/Masks/Anomaly/000.png"), 8, 6, 7);
    Layouts.image(visa.resolve("pcb1/Data/Images/Normal/0000.JPG"), 8, 6);
    Files.createDirectories(visa.resolve("split_csv"));
    Files.writeString(visa.resolve("split_csv/1cls.csv"), String.join("\n",
        "object,split,label,image,mask",
        "candle,train,normal,candle/Data/Images/Normal/0000.JPG,",
        "candle,test,normal,candle/Data/Images/Normal/0001.JPG,",
        "candle,test,anomaly,candle/Data/Images/Anomaly/000.JPG,candle/Data/Masks/Anomaly/000.png",
        "pcb1,train,normal,pcb1/Data/Images/Normal/0000.JPG,", ""));

    VisaFormat format = new VisaFormat();
    assertTrue(format.recognizes(visa));
    assertEquals(List.of("candle", "pcb1"), format.categories(visa));
    Path candle = visa.resolve("candle");
    assertTrue(format.recognizes(candle));
    assertEquals(List.of("train", "test"), format.splits(candle));
    assertEquals(1, format.items(candle, "train").size());
    List<DatasetItem> test = format.items(candle, "test");
    assertEquals(List.of("Data/Images/Normal/0001.JPG", "Data/Images/Anomaly/000.JPG"),
        test.stream().map(DatasetItem::id).toList());
    try (FrameStream stream = format.open(candle, "test").open()) {
      assertFalse(stream.next(Duration.ZERO).groundTruth().anomalous());
      Frame anomaly = stream.next(Duration.ZERO);
      assertEquals(VisaFormat.ANOMALY, anomaly.groundTruth().defectType());
      assertEquals(7, anomaly.groundTruth().mask().defectPixelCount());
    }
    assertFalse(new MvtecAdFormat().recognizes(visa));
  }
}
