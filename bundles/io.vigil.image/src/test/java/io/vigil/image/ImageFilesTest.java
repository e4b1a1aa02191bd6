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

  @Test
  void aLongestSideDecodesEveryNthPixelOfEveryNthRow() throws IOException {
    // 100 x 40 grey, pixel (x, y) = x + 2y; at most 30 px a side: factor 4, 25 x 10.
    byte[] pixels = new byte[100 * 40];
    for (int y = 0; y < 40; y++) {
      for (int x = 0; x < 100; x++) {
        pixels[y * 100 + x] = (byte) (x + 2 * y);
      }
    }
    Path file = dir.resolve("wide.png");
    ImageFiles.writePng(Image.of8Bit(100, 40, 1, pixels), file);
    Image reduced = ImageFiles.read(file, new DecodeLimits(ImageFiles.maxPixels(), 30));
    assertEquals(25, reduced.width());
    assertEquals(10, reduced.height());
    for (int y = 0; y < 10; y++) {
      for (int x = 0; x < 25; x++) {
        assertEquals(4 * x + 8 * y, reduced.sample(x, y, 0), "pixel " + x + "," + y);
      }
    }
    assertEquals(100, ImageFiles.read(file, new DecodeLimits(ImageFiles.maxPixels(), 100)).width(), "fits: whole");
    assertEquals(100, ImageFiles.read(file).width(), "no side limit by default");
    ImageFormatException refused = assertThrows(ImageFormatException.class,
        () -> ImageFiles.read(file, DecodeLimits.of(3999, 30)));
    assertTrue(refused.reason().startsWith("100 x 40 pixels is above the limit of 3999 pixels"), refused.reason());
  }

  @Test
  void subsamplingTakesTheSmallestWholeFactorThatFits() {
    DecodeLimits limits = DecodeLimits.of(0, 4096);
    assertEquals(1, limits.subsampling(4096, 100));
    assertEquals(2, limits.subsampling(4097, 100));
    assertEquals(3, limits.subsampling(100, 12_000));
    assertEquals(1, DecodeLimits.of(0, 0).subsampling(100_000, 100_000), "0: full resolution");
    assertEquals(ImageFiles.maxPixels(), DecodeLimits.of(0, 0).maxPixels(), "0: the default pixel limit");
  }

  @Test
  void aTruncatedFileSaysItEndsEarly() throws IOException {
    Path whole = dir.resolve("whole.bmp");
    ImageFiles.write(ImageFiles.toBufferedImage(Image.of8Bit(40, 30, 3, new byte[40 * 30 * 3])), "bmp", whole);
    byte[] bytes = Files.readAllBytes(whole);
    Path cut = dir.resolve("cut.bmp");
    Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length / 2));
    ImageFormatException e = assertThrows(ImageFormatException.class, () -> ImageFiles.read(cut));
    assertTrue(e.getMessage().startsWith(cut + ": cannot decode"), e.getMessage());
  }
}
