package io.vigil.api.image;

import java.util.Arrays;

/** A binary defect mask: which pixels of an image belong to a defect. Immutable. */
public final class Mask {
  private final int width;
  private final int height;
  private final boolean[] defect;
  private final int defectPixels;

  private Mask(int width, int height, boolean[] defect) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("mask size must be positive: " + width + "x" + height);
    }
    if (defect.length != width * height) {
      throw new IllegalArgumentException("mask holds " + defect.length + " pixels, not " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.defect = defect;
    int count = 0;
    for (boolean d : defect) {
      if (d) {
        count++;
      }
    }
    this.defectPixels = count;
  }

  /** A mask with no defect pixel. */
  public static Mask empty(int width, int height) {
    return new Mask(width, height, new boolean[width * height]);
  }

  /** Row-major flags, true where a defect is; the array is copied. */
  public static Mask of(int width, int height, boolean[] defect) {
    return new Mask(width, height, defect.clone());
  }

  /** Row-major 8-bit samples as stored in mask images: any non-zero value marks a defect. */
  public static Mask fromSamples(int width, int height, byte[] samples) {
    boolean[] defect = new boolean[samples.length];
    for (int i = 0; i < samples.length; i++) {
      defect[i] = samples[i] != 0;
    }
    return new Mask(width, height, defect);
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public boolean isDefect(int x, int y) {
    return defect[y * width + x];
  }

  /** Flag of pixel {@code index} in row-major order. */
  public boolean isDefect(int index) {
    return defect[index];
  }

  public int defectPixelCount() {
    return defectPixels;
  }

  public boolean isEmpty() {
    return defectPixels == 0;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Mask m && m.width == width && m.height == height && Arrays.equals(m.defect, defect);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * width + height) + Arrays.hashCode(defect);
  }

  @Override
  public String toString() {
    return "Mask[" + width + "x" + height + ", " + defectPixels + " defect pixels]";
  }
}
