package io.vigil.ui.swt.internal;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;

/**
 * SWT pixels to PNG files through {@code io.vigil.image} (atomic writes, no native image codec),
 * so screenshots are written off the UI thread by plain Java.
 */
final class ImageDataPng {
  private ImageDataPng() {}

  static void write(ImageData data, Path file) throws IOException {
    ImageFiles.writePng(toRgb(data), file);
  }

  /** Any depth and palette to 8-bit RGB. */
  static Image toRgb(ImageData data) {
    int width = data.width;
    int height = data.height;
    byte[] rgb = new byte[width * height * 3];
    int[] row = new int[width];
    PaletteData palette = data.palette;
    for (int y = 0; y < height; y++) {
      data.getPixels(0, y, width, row, 0);
      for (int x = 0; x < width; x++) {
        int offset = (y * width + x) * 3;
        if (palette.isDirect) {
          rgb[offset] = (byte) channel(row[x], palette.redMask, palette.redShift);
          rgb[offset + 1] = (byte) channel(row[x], palette.greenMask, palette.greenShift);
          rgb[offset + 2] = (byte) channel(row[x], palette.blueMask, palette.blueShift);
        } else {
          RGB colour = palette.getRGB(row[x]);
          rgb[offset] = (byte) colour.red;
          rgb[offset + 1] = (byte) colour.green;
          rgb[offset + 2] = (byte) colour.blue;
        }
      }
    }
    return Image.of8Bit(width, height, 3, rgb);
  }

  /** One 8-bit channel of a direct-palette pixel (SWT's shifts are negative for "shift right"). */
  private static int channel(int pixel, int mask, int shift) {
    int value = pixel & mask;
    return (shift < 0 ? value >>> -shift : value << shift) & 0xFF;
  }
}
