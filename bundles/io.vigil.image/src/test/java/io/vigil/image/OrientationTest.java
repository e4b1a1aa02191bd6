package io.vigil.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.image.internal.Orientation;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OrientationTest {
  @TempDir Path dir;

  /**
   * Stored 3x2:  a b c      The eight EXIF cases, each the upright picture a viewer must show.
   *              d e f
   */
  private static final Image STORED = Image.of8Bit(3, 2, 1, new byte[] {'a', 'b', 'c', 'd', 'e', 'f'});

  @Test
  void everyExifOrientationTurnsTheStoredPixelsUpright() {
    assertUpright(1, 3, "abcdef");
    assertUpright(2, 3, "cbafed");
    assertUpright(3, 3, "fedcba");
    assertUpright(4, 3, "defabc");
    assertUpright(5, 2, "adbecf");
    assertUpright(6, 2, "daebfc");
    assertUpright(7, 2, "fcebda");
    assertUpright(8, 2, "cfbead");
  }

  @Test
  void unknownValuesLeaveTheImageAlone() {
    assertSame(STORED, Orientation.apply(STORED, 0));
    assertSame(STORED, Orientation.apply(STORED, 9));
  }

  @Test
  void sixteenBitRgbTurnsWholePixels() {
    Image stored = Image.of16Bit(2, 1, 3, new short[] {1, 2, 3, 4, 5, 6});
    Image turned = Orientation.apply(stored, 6);
    assertEquals(1, turned.width());
    assertEquals(2, turned.height());
    assertArrayEquals(new short[] {1, 2, 3, 4, 5, 6}, turned.pixels16());
    assertArrayEquals(new short[] {4, 5, 6, 1, 2, 3}, Orientation.apply(stored, 3).pixels16());
  }

  @Test
  void aJpegTaggedRotate90IsReadUpright() throws IOException {
    // Stored 32x16, left half dark; tagged 6 (turn 90 degrees clockwise): upright 16x32, top half dark.
    Path file = dir.resolve("rotated.jpg");
    Files.write(file, withExifOrientation(jpeg(ImageFormatsTest.halves(32, 16)), 6));
    Image upright = ImageFiles.read(file);
    assertEquals(16, upright.width());
    assertEquals(32, upright.height());
    assertTrue(upright.sample(8, 4, 0) < 30, "top dark: " + upright.sample(8, 4, 0));
    assertTrue(upright.sample(8, 28, 0) > 225, "bottom bright: " + upright.sample(8, 28, 0));
    assertEquals(new ImageSize(16, 32), ImageFiles.readSize(file));
  }

  @Test
  void aJpegTaggedNormalIsReadAsStored() throws IOException {
    Path file = dir.resolve("normal.jpg");
    Files.write(file, withExifOrientation(jpeg(ImageFormatsTest.halves(32, 16)), 1));
    assertEquals(32, ImageFiles.read(file).width());
    assertEquals(new ImageSize(32, 16), ImageFiles.readSize(file));
  }

  private static void assertUpright(int orientation, int width, String expected) {
    Image upright = Orientation.apply(STORED, orientation);
    assertEquals(width, upright.width(), "width for orientation " + orientation);
    assertEquals(expected, new String(upright.pixels8(), java.nio.charset.StandardCharsets.US_ASCII),
        "orientation " + orientation);
  }

  private static byte[] jpeg(Image image) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(ImageFiles.toBufferedImage(image), "jpeg", out);
    return out.toByteArray();
  }

  /** Inserts an EXIF APP1 segment holding only the orientation tag right after the JPEG's SOI. */
  static byte[] withExifOrientation(byte[] jpeg, int orientation) {
    byte[] app1 = {
      (byte) 0xFF, (byte) 0xE1, 0, 34, // APP1, length 34 (counts itself)
      'E', 'x', 'i', 'f', 0, 0,
      'M', 'M', 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at offset 8
      0, 1, // one entry
      0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation, SHORT, 1 value
      0, 0, 0, 0 // no next IFD
    };
    byte[] out = new byte[jpeg.length + app1.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(app1, 0, out, 2, app1.length);
    System.arraycopy(jpeg, 2, out, 2 + app1.length, jpeg.length - 2);
    return out;
  }
}
