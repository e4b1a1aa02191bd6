package io.vigil.image.internal;

import io.vigil.api.image.Image;

/**
 * EXIF orientation (TIFF tag 274): how the stored pixels must be turned to show the scene upright.
 * Cameras write sensor rows as they come and record the turn instead of rotating the pixels.
 */
public final class Orientation {
  /** Stored upright: nothing to do. */
  public static final int NORMAL = 1;

  private Orientation() {}

  /** True for the values 5 to 8, which exchange width and height. */
  public static boolean swapsAxes(int orientation) {
    return orientation >= 5 && orientation <= 8;
  }

  /**
   * The upright image for EXIF {@code orientation} 1 to 8; any other value (absent, corrupt) is
   * taken as 1 and returns {@code stored} itself.
   */
  public static Image apply(Image stored, int orientation) {
    if (orientation < 2 || orientation > 8) {
      return stored;
    }
    int w = stored.width();
    int h = stored.height();
    int channels = stored.channels();
    boolean swap = swapsAxes(orientation);
    int outW = swap ? h : w;
    int outH = swap ? w : h;
    int[] sourceIndex = new int[outW * outH];
    for (int y = 0; y < outH; y++) {
      for (int x = 0; x < outW; x++) {
        int sx;
        int sy;
        switch (orientation) {
          case 2 -> { sx = w - 1 - x; sy = y; }          // mirrored left-right
          case 3 -> { sx = w - 1 - x; sy = h - 1 - y; }  // turned 180 degrees
          case 4 -> { sx = x; sy = h - 1 - y; }          // mirrored top-bottom
          case 5 -> { sx = y; sy = x; }                  // transposed
          case 6 -> { sx = y; sy = h - 1 - x; }          // needs 90 degrees clockwise
          case 7 -> { sx = w - 1 - y; sy = h - 1 - x; }  // transversed
          default -> { sx = w - 1 - y; sy = x; }         // 8: needs 90 degrees counter-clockwise
        }
        sourceIndex[y * outW + x] = sy * w + sx;
      }
    }
    if (stored.bitDepth() == 8) {
      byte[] in = stored.pixels8();
      byte[] out = new byte[in.length];
      for (int p = 0; p < sourceIndex.length; p++) {
        System.arraycopy(in, sourceIndex[p] * channels, out, p * channels, channels);
      }
      return Image.of8Bit(outW, outH, channels, out);
    }
    short[] in = stored.pixels16();
    short[] out = new short[in.length];
    for (int p = 0; p < sourceIndex.length; p++) {
      System.arraycopy(in, sourceIndex[p] * channels, out, p * channels, channels);
    }
    return Image.of16Bit(outW, outH, channels, out);
  }
}
