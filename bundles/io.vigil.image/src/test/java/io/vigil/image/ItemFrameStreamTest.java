package io.vigil.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameReadException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ItemFrameStreamTest {
  @TempDir Path dir;

  @Test
  void framesCarryTheirGroundTruthAndABrokenItemDoesNotEndTheStream() throws Exception {
    Path good = png("good.png", 4, 3);
    Path defect = png("defect.png", 4, 3);
    Path mask = dir.resolve("defect_mask.png");
    byte[] maskPixels = new byte[12];
    maskPixels[5] = (byte) 255;
    ImageFiles.writePng(Image.of8Bit(4, 3, 1, maskPixels), mask);
    Path corrupt = dir.resolve("corrupt.png");
    Files.write(corrupt, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
    Path plain = png("plain.png", 2, 2);

    List<DatasetItem> items = List.of(
        new DatasetItem("good.png", good, GroundTruth.GOOD, null),
        new DatasetItem("corrupt.png", corrupt, "crack", mask),
        new DatasetItem("defect.png", defect, "crack", mask),
        new DatasetItem("plain.png", plain, null, null));
    try (ItemFrameStream stream = new ItemFrameStream(items, item -> Map.of("split", "test"))) {
      assertEquals(4, stream.size().getAsInt());
      Frame first = stream.next(Duration.ZERO);
      assertEquals("good.png", first.id());
      assertFalse(first.groundTruth().anomalous());
      assertTrue(first.groundTruth().mask().isEmpty());
      assertEquals(4, first.groundTruth().mask().width());
      assertEquals("test", first.metadata().get("split"));

      FrameReadException broken = assertThrows(FrameReadException.class, () -> stream.next(Duration.ZERO));
      assertEquals(corrupt.toString(), broken.origin());

      Frame third = stream.next(Duration.ZERO);
      assertEquals("crack", third.groundTruth().defectType());
      assertEquals(1, third.groundTruth().mask().defectPixelCount());
      assertNull(stream.next(Duration.ZERO).groundTruth(), "unlabelled item");
      assertTrue(stream.isExhausted());
      assertNull(stream.next(Duration.ZERO));
    }
  }

  @Test
  void aMaskOfAnotherSizeIsAnErrorNamingBothFiles() throws IOException {
    Path image = png("img.png", 4, 3);
    Path mask = png("img_mask.png", 3, 4);
    DatasetItem item = new DatasetItem("img.png", image, "crack", mask);
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> DatasetFrames.read(item, Map.of()));
    assertTrue(e.getMessage().contains("img_mask.png") && e.getMessage().contains("3x4")
        && e.getMessage().contains("4x3"), e.getMessage());
    ImageFormatException fromHeaders = assertThrows(ImageFormatException.class, () -> DatasetFrames.checkMaskSize(item));
    assertTrue(fromHeaders.getMessage().contains("3x4"), fromHeaders.getMessage());
  }

  private Path png(String name, int width, int height) throws IOException {
    Path file = dir.resolve(name);
    ImageFiles.writePng(Image.of8Bit(width, height, 1, new byte[width * height]), file);
    return file;
  }
}
