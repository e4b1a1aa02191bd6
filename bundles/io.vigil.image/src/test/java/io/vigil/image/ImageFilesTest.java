package io.vigil.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir Path dir;

  @Test
  void aHeaderClaimingHugeDimensionsIsRefusedBeforeAnyPixelIsAllocated() throws Exception {
    // A valid 4 x 4 PNG whose header then claims 100,000 x 100,000 pixels (40 GB of RGB samples).
    Path small = dir.resolve("small.png");
    ImageFiles.writePng(Image.of8Bit(4, 4, 3, new byte[48]), small);
    byte[] png = Files.readAllBytes(small);
    java.nio.ByteBuffer bytes = java.nio.ByteBuffer.wrap(png);
    bytes.putInt(16, 100_000).putInt(20, 100_000); // IHDR width and height
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(png, 12, 17); // "IHDR" and its 13 data bytes
    bytes.putInt(29, (int) crc.getValue());
    Path bomb = dir.resolve("bomb.png");
    Files.write(bomb, png);

    ImageFormatException refused = assertThrows(ImageFormatException.class, () -> ImageFiles.read(bomb));
    assertTrue(refused.getMessage().contains("100000 x 100000 pixels is above the limit"), refused.getMessage());
    assertTrue(refused.getMessage().contains("bomb.png"), refused.getMessage());
    assertEquals(new ImageSize(100_000, 100_000), ImageFiles.readSize(bomb), "the header itself is read");

    String previous = System.getProperty(ImageFiles.MAX_PIXELS_PROPERTY);
    System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, "15");
    try {
      assertTrue(assertThrows(ImageFormatException.class, () -> ImageFiles.read(small)).getMessage()
          .contains("4 x 4 pixels is above the limit of 15 pixels"));
    } finally {
      if (previous == null) {
        System.clearProperty(ImageFiles.MAX_PIXELS_PROPERTY);
      } else {
        System.setProperty(ImageFiles.MAX_PIXELS_PROPERTY, previous);
      }
    }
    assertEquals(4, ImageFiles.read(small).width(), "the default limit reads it");
  }

  @Test
  void greyPngRoundTripsAsOneChannel() throws IOException {
    Image grey = Image.of8Bit(3, 2, 1, new byte[] {0, 50, 100, (byte) 150, (byte) 200, (byte) 255});
    Path file = dir.resolve("grey.png");
    ImageFiles.writePng(grey, file);
    Image read = ImageFiles.read(file);
    assertEquals(1, read.channels());
    assertArrayEquals(grey.pixels8(), read.pixels8());
  }

  @Test
  void rgbPngRoundTrips() throws IOException {
    Image rgb = Image.of8Bit(2, 1, 3, new byte[] {10, 20, 30, (byte) 250, (byte) 128, 0});
    Path file = dir.resolve("rgb.png");
    ImageFiles.writePng(rgb, file);
    assertArrayEquals(rgb.pixels8(), ImageFiles.read(file).pixels8());
  }

  @Test
  void maskMarksNonZeroPixels() throws IOException {
    Path file = dir.resolve("mask.png");
    ImageFiles.writePng(Image.of8Bit(2, 2, 1, new byte[] {0, (byte) 255, 0, (byte) 255}), file);
    Mask mask = ImageFiles.readMask(file);
    assertEquals(2, mask.defectPixelCount());
    assertTrue(mask.isDefect(1, 1));
  }

  @Test
  void aCorruptFileIsAnImageFormatExceptionNamingTheFile() throws IOException {
    Path file = dir.resolve("broken.png");
    Files.write(file, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(file));
    assertTrue(e.getMessage().contains("broken.png"), e.getMessage());
  }

  @Test
  void aMissingFileSaysSo() {
    assertThrows(NoSuchFileException.class, () -> ImageFiles.read(dir.resolve("nope.jpg")));
  }
}
