package io.vigil.source.camera.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import org.junit.jupiter.api.Test;

class PixelFormatsTest {

  private static RawFrame frame(int width, int height, int format, int stride, byte[] data) {
    return new RawFrame(width, height, format, stride, data, 0, 0, 1);
  }

  @Test
  void mono8SkipsRowPadding() {
    byte[] data = {1, 2, 3, 99, 4, 5, 6, 99};
    Image image = PixelFormats.toImage(frame(3, 2, PixelFormats.MONO8, 4, data));
    assertEquals(1, image.channels());
    assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6}, image.pixels8());
  }

  @Test
  void mono16IsLittleEndianAndMono12IsScaledToSixteenBits() {
    byte[] data = {0x34, 0x12, (byte) 0xFF, (byte) 0xFF};
    assertArrayEquals(new short[] {0x1234, (short) 0xFFFF},
        PixelFormats.toImage(frame(2, 1, PixelFormats.MONO16, 4, data)).pixels16());
    byte[] twelve = {(byte) 0xFF, 0x0F, 0x00, 0x08};
    Image scaled = PixelFormats.toImage(frame(2, 1, PixelFormats.MONO12, 4, twelve));
    assertEquals(0xFFF0, scaled.sample(0, 0, 0));
    assertEquals(0x8000, scaled.sample(1, 0, 0));
  }

  @Test
  void bgrBecomesRgb() {
    Image image = PixelFormats.toImage(frame(1, 1, PixelFormats.BGR8, 3, new byte[] {3, 2, 1}));
    assertArrayEquals(new byte[] {1, 2, 3}, image.pixels8());
    Image rgb = PixelFormats.toImage(frame(1, 1, PixelFormats.RGB8, 3, new byte[] {1, 2, 3}));
    assertArrayEquals(new byte[] {1, 2, 3}, rgb.pixels8());
  }

  @Test
  void everyBayerMosaicOfAFlatColourGivesThatColourEverywhere() {
    int[][] cells = {{0, 1, 1, 2}, {1, 0, 2, 1}, {1, 2, 0, 1}, {2, 1, 1, 0}}; // RG, GR, GB, BG
    int[] formats = {PixelFormats.BAYER_RG8, PixelFormats.BAYER_GR8, PixelFormats.BAYER_GB8, PixelFormats.BAYER_BG8};
    int[] colour = {200, 100, 40};
    for (int m = 0; m < formats.length; m++) {
      int width = 6;
      int height = 4;
      byte[] mosaic = new byte[width * height];
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          mosaic[y * width + x] = (byte) colour[cells[m][(y & 1) * 2 + (x & 1)]];
        }
      }
      Image rgb = PixelFormats.toImage(frame(width, height, formats[m], width, mosaic));
      assertEquals(3, rgb.channels());
      for (int y = 0; y < height; y++) {
        for (int x = 0; x < width; x++) {
          for (int c = 0; c < 3; c++) {
            assertEquals(colour[c], rgb.sample(x, y, c), PixelFormats.name(formats[m]) + " at " + x + "," + y + " c" + c);
          }
        }
      }
    }
  }

  @Test
  void bilinearInterpolatesGreenAtARedPixelFromItsFourNeighbours() {
    // RG mosaic 3x3, centre (1,1) is blue; its green neighbours are 10, 20, 30, 40.
    int[] samples = {
      0, 10, 0,
      20, 99, 30,
      0, 40, 0
    };
    int[] rgb = PixelFormats.bilinear(samples, 3, 3, new int[] {0, 1, 1, 2});
    int centre = (1 * 3 + 1) * 3;
    assertEquals(25, rgb[centre + 1]);
    assertEquals(99, rgb[centre + 2]);
  }

  @Test
  void sixteenBitBayerStaysSixteenBit() {
    byte[] data = new byte[2 * 2 * 2];
    for (int i = 0; i < 4; i++) {
      data[2 * i] = 0;
      data[2 * i + 1] = (byte) 0x80;
    }
    Image rgb = PixelFormats.toImage(frame(2, 2, PixelFormats.BAYER_RG16, 4, data));
    assertEquals(16, rgb.bitDepth());
    assertEquals(0x8000, rgb.sample(1, 1, 0));
  }

  @Test
  void packedAndUnknownFormatsAreRefusedByName() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> PixelFormats.toImage(frame(2, 1, 0x010C0006, 3, new byte[3])));
    assertTrue(e.getMessage().contains("0x010C0006") && e.getMessage().contains("Mono8"), e.getMessage());
    IllegalArgumentException shortBuffer = assertThrows(IllegalArgumentException.class,
        () -> PixelFormats.toImage(frame(4, 4, PixelFormats.MONO8, 4, new byte[10])));
    assertTrue(shortBuffer.getMessage().contains("16 bytes"), shortBuffer.getMessage());
  }
}
