package io.vigil.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every bit depth, channel layout and container the station reads, written by the JDK and read back. */
class ImageFormatsTest {
  @TempDir Path dir;

  @Test
  void sixteenBitGreyPngKeepsItsSamples() throws IOException {
    short[] samples = {0, 1, 256, 4095, (short) 40000, (short) 65535};
    Path file = dir.resolve("grey16.png");
    ImageFiles.writePng(Image.of16Bit(3, 2, 1, samples), file);
    Image read = ImageFiles.read(file);
    assertEquals(16, read.bitDepth());
    assertEquals(1, read.channels());
    assertArrayEquals(samples, read.pixels16());
  }

  @Test
  void sixteenBitRgbAndRgbaPngKeepTheirSamples() throws IOException {
    short[] rgb = {1, 2, 3, (short) 60000, 300, (short) 65535};
    Path rgbFile = dir.resolve("rgb16.png");
    ImageFiles.writePng(Image.of16Bit(2, 1, 3, rgb), rgbFile);
    Image readRgb = ImageFiles.read(rgbFile);
    assertEquals(3, readRgb.channels());
    assertArrayEquals(rgb, readRgb.pixels16());

    short[] rgba = {1, 2, 3, 4, (short) 60000, 300, (short) 65535, (short) 32768};
    Path rgbaFile = dir.resolve("rgba16.png");
    ImageFiles.writePng(Image.of16Bit(2, 1, 4, rgba), rgbaFile);
    Image readRgba = ImageFiles.read(rgbaFile);
    assertEquals(4, readRgba.channels());
    assertArrayEquals(rgba, readRgba.pixels16());
  }

  @Test
  void rgbaPngKeepsAlpha() throws IOException {
    byte[] rgba = {10, 20, 30, 0, (byte) 200, 100, 50, (byte) 128};
    Path file = dir.resolve("rgba.png");
    ImageFiles.writePng(Image.of8Bit(2, 1, 4, rgba), file);
    Image read = ImageFiles.read(file);
    assertEquals(4, read.channels());
    assertEquals(8, read.bitDepth());
    // A fully transparent pixel keeps its colour too: nothing is premultiplied.
    assertArrayEquals(rgba, read.pixels8());
  }

  @Test
  void greyWithAlphaBecomesRgbaWithTheGreyRepeated() throws IOException {
    BufferedImage greyAlpha = decodeResource(greyAlphaPng());
    Image image = ImageFiles.fromBufferedImage(greyAlpha);
    assertEquals(4, image.channels());
    assertEquals(image.sample(0, 0, 0), image.sample(0, 0, 1));
    assertEquals(image.sample(0, 0, 0), image.sample(0, 0, 2));
  }

  @Test
  void bmpRgbIsRead() throws IOException {
    BufferedImage bgr = new BufferedImage(3, 2, BufferedImage.TYPE_3BYTE_BGR);
    bgr.setRGB(0, 0, 0x112233);
    bgr.setRGB(2, 1, 0xFFEEDD);
    Path file = dir.resolve("rgb.bmp");
    ImageFiles.write(bgr, "bmp", file);
    Image read = ImageFiles.read(file);
    assertEquals(3, read.channels());
    assertEquals(0x11, read.sample(0, 0, 0));
    assertEquals(0x22, read.sample(0, 0, 1));
    assertEquals(0x33, read.sample(0, 0, 2));
    assertEquals(0xDD, read.sample(2, 1, 2));
  }

  @Test
  void sixteenBitGreyTiffIsRead() throws IOException {
    short[] samples = {0, 1000, (short) 50000, (short) 65535};
    Path file = dir.resolve("grey16.tif");
    ImageFiles.write(ImageFiles.toLosslessBufferedImage(Image.of16Bit(2, 2, 1, samples)), "tiff", file);
    Image read = ImageFiles.read(file);
    assertEquals(16, read.bitDepth());
    assertArrayEquals(samples, read.pixels16());
  }

  @Test
  void eightBitRgbTiffIsRead() throws IOException {
    byte[] rgb = {1, 2, 3, 4, 5, 6};
    Path file = dir.resolve("rgb.tiff");
    ImageFiles.write(ImageFiles.toBufferedImage(Image.of8Bit(2, 1, 3, rgb)), "tiff", file);
    assertArrayEquals(rgb, ImageFiles.read(file).pixels8());
  }

  @Test
  void greyJpegStaysOneChannel() throws IOException {
    Path file = dir.resolve("grey.jpg");
    ImageFiles.write(ImageFiles.toBufferedImage(halves(32, 16)), "jpeg", file);
    Image read = ImageFiles.read(file);
    assertEquals(1, read.channels());
    assertTrue(read.sample(4, 8, 0) < 30 && read.sample(28, 8, 0) > 225, "left dark, right bright");
  }

  @Test
  void oneBitGreyIsScaledToTheFullRange() throws IOException {
    BufferedImage binary = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_BINARY);
    binary.getRaster().setSamples(0, 0, 4, 1, 0, new int[] {0, 1, 1, 0});
    Path file = dir.resolve("binary.png");
    ImageFiles.writePng(binary, file);
    Image read = ImageFiles.read(file);
    assertEquals(1, read.channels());
    assertArrayEquals(new byte[] {0, (byte) 255, (byte) 255, 0}, read.pixels8());
  }

  @Test
  void aColouredPaletteMaskMarksEveryNonBlackPixel() throws IOException {
    // Label masks are often palette PNGs whose colours have no red: index 1 = pure green here.
    IndexColorModel palette = new IndexColorModel(2, 2, new byte[] {0, 0}, new byte[] {0, (byte) 255}, new byte[] {0, 0});
    BufferedImage labels = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY, palette);
    labels.getRaster().setSamples(0, 0, 3, 1, 0, new int[] {0, 1, 0});
    Path file = dir.resolve("labels.png");
    ImageFiles.writePng(labels, file);
    Mask mask = ImageFiles.readMask(file);
    assertEquals(1, mask.defectPixelCount());
    assertTrue(mask.isDefect(1, 0));
  }

  @Test
  void readSizeReadsTheHeaderOfEveryFormat() throws IOException {
    BufferedImage image = ImageFiles.toBufferedImage(halves(7, 5));
    for (String format : new String[] {"png", "jpeg", "bmp", "tiff"}) {
      Path file = dir.resolve("size." + format);
      ImageFiles.write(image, format, file);
      assertEquals(new ImageSize(7, 5), ImageFiles.readSize(file), format);
    }
  }

  @Test
  void aTextFileHasNoSize() throws IOException {
    Path file = dir.resolve("notes.png");
    Files.writeString(file, "not an image");
    ImageFormatException e = org.junit.jupiter.api.Assertions.assertThrows(ImageFormatException.class,
        () -> ImageFiles.readSize(file));
    assertTrue(e.getMessage().contains("notes.png"), e.getMessage());
  }

  /** A grey image, left half 0, right half 255. */
  static Image halves(int width, int height) {
    byte[] pixels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = width / 2; x < width; x++) {
        pixels[y * width + x] = (byte) 255;
      }
    }
    return Image.of8Bit(width, height, 1, pixels);
  }

  private static BufferedImage decodeResource(byte[] png) throws IOException {
    return ImageIO.read(new java.io.ByteArrayInputStream(png));
  }

  /** A 2x1 grey + alpha PNG, encoded by the JDK from a two-band grey raster. */
  private static byte[] greyAlphaPng() throws IOException {
    java.awt.color.ColorSpace grey = java.awt.color.ColorSpace.getInstance(java.awt.color.ColorSpace.CS_GRAY);
    java.awt.image.ComponentColorModel model = new java.awt.image.ComponentColorModel(
        grey, true, false, java.awt.Transparency.TRANSLUCENT, java.awt.image.DataBuffer.TYPE_BYTE);
    java.awt.image.WritableRaster raster = model.createCompatibleWritableRaster(2, 1);
    raster.setPixels(0, 0, 2, 1, new int[] {90, 255, 180, 100});
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(new BufferedImage(model, raster, false, null), "png", out);
    return out.toByteArray();
  }
}
