package io.vigil.api.image;

import java.util.Objects;

/**
 * An immutable raster image: 1 (grey), 3 (RGB) or 4 (RGBA) interleaved channels of 8 or 16 bit
 * unsigned samples, row-major. Sample (x, y, c) is at index {@code (y * width + x) * channels + c}.
 *
 * <p>The pixel arrays are shared, not copied, to keep frames cheap on a camera line; nobody may
 * modify an array after it is wrapped.
 */
public final class Image {
  private final int width;
  private final int height;
  private final int channels;
  private final byte[] pixels8;
  private final short[] pixels16;

  private Image(int width, int height, int channels, byte[] pixels8, short[] pixels16) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
    if (channels != 1 && channels != 3 && channels != 4) {
      throw new IllegalArgumentException("channels must be 1, 3 or 4, not " + channels);
    }
    int length = pixels8 != null ? pixels8.length : pixels16.length;
    long expected = (long) width * height * channels;
    if (length != expected) {
      throw new IllegalArgumentException(
          "pixel array holds " + length + " samples, " + width + "x" + height + "x" + channels + " needs " + expected);
    }
    this.width = width;
    this.height = height;
    this.channels = channels;
    this.pixels8 = pixels8;
    this.pixels16 = pixels16;
  }

  /** Wraps 8-bit samples (0..255, stored as signed bytes). */
  public static Image of8Bit(int width, int height, int channels, byte[] pixels) {
    return new Image(width, height, channels, Objects.requireNonNull(pixels, "pixels"), null);
  }

  /** Wraps 16-bit samples (0..65535, stored as signed shorts). */
  public static Image of16Bit(int width, int height, int channels, short[] pixels) {
    return new Image(width, height, channels, null, Objects.requireNonNull(pixels, "pixels"));
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public int channels() {
    return channels;
  }

  /** 8 or 16. */
  public int bitDepth() {
    return pixels8 != null ? 8 : 16;
  }

  /** The largest sample value: 255 or 65535. */
  public int maxValue() {
    return pixels8 != null ? 0xFF : 0xFFFF;
  }

  /** The unsigned sample at (x, y) in channel c. */
  public int sample(int x, int y, int c) {
    int index = (y * width + x) * channels + c;
    return pixels8 != null ? pixels8[index] & 0xFF : pixels16[index] & 0xFFFF;
  }

  /** The 8-bit samples; throws if this is a 16-bit image. Shared, do not modify. */
  public byte[] pixels8() {
    if (pixels8 == null) {
      throw new IllegalStateException("16-bit image; use pixels16() or toRgb8()");
    }
    return pixels8;
  }

  /** The 16-bit samples; throws if this is an 8-bit image. Shared, do not modify. */
  public short[] pixels16() {
    if (pixels16 == null) {
      throw new IllegalStateException("8-bit image; use pixels8()");
    }
    return pixels16;
  }

  /**
   * This image as 8-bit RGB, the form detectors and views consume: grey is replicated, alpha is
   * dropped, 16-bit samples keep their high byte. Returns this image when it already is RGB8.
   */
  public Image toRgb8() {
    if (channels == 3 && pixels8 != null) {
      return this;
    }
    int pixelCount = width * height;
    byte[] rgb = new byte[pixelCount * 3];
    for (int p = 0; p < pixelCount; p++) {
      for (int c = 0; c < 3; c++) {
        int source = p * channels + (channels == 1 ? 0 : c);
        rgb[p * 3 + c] = pixels8 != null ? pixels8[source] : (byte) ((pixels16[source] & 0xFFFF) >>> 8);
      }
    }
    return of8Bit(width, height, 3, rgb);
  }

  @Override
  public String toString() {
    return "Image[" + width + "x" + height + "x" + channels + ", " + bitDepth() + " bit]";
  }
}
