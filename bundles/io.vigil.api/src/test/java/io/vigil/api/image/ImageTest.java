package io.vigil.api.image;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ImageTest {

  @Test
  void greyIsReplicatedIntoRgb() {
    Image grey = Image.of8Bit(2, 1, 1, new byte[] {10, (byte) 200});
    Image rgb = grey.toRgb8();
    assertEquals(3, rgb.channels());
    assertArrayEquals(new byte[] {10, 10, 10, (byte) 200, (byte) 200, (byte) 200}, rgb.pixels8());
  }

  @Test
  void sixteenBitKeepsHighByteAndAlphaIsDropped() {
    Image rgba16 = Image.of16Bit(1, 1, 4, new short[] {(short) 0xFF00, 0x0100, 0x00FF, (short) 0xFFFF});
    Image rgb = rgba16.toRgb8();
    assertArrayEquals(new byte[] {(byte) 0xFF, 0x01, 0x00}, rgb.pixels8());
    assertEquals(65535, rgba16.maxValue());
    assertEquals(0xFF00, rgba16.sample(0, 0, 0));
  }

  @Test
  void rgb8IsReturnedAsIs() {
    Image rgb = Image.of8Bit(1, 1, 3, new byte[3]);
    assertSame(rgb, rgb.toRgb8());
  }

  @Test
  void wrongArrayLengthIsRefusedWithTheSizes() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Image.of8Bit(4, 4, 3, new byte[47]));
    assertTrue(e.getMessage().contains("4x4x3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Image.of8Bit(4, 4, 2, new byte[32]));
  }

  @Test
  void maskCountsDefectPixels() {
    Mask mask = Mask.fromSamples(3, 1, new byte[] {0, (byte) 255, 1});
    assertEquals(2, mask.defectPixelCount());
    assertTrue(mask.isDefect(1, 0));
    assertTrue(Mask.empty(2, 2).isEmpty());
  }

  @Test
  void goodGroundTruthCannotCarryADefectType() {
    assertThrows(IllegalArgumentException.class, () -> new GroundTruth(false, "crack", null));
    assertEquals("good", GroundTruth.good(null).defectType());
  }
}
