package io.vigil.image;

/**
 * How far {@link ImageFiles#read(java.nio.file.Path, DecodeLimits)} goes with a file.
 *
 * @param maxPixels the most pixels a file's header may claim; a larger file is refused before
 *     decoding (decompression bombs, broken headers)
 * @param maxSide   0 to decode at full resolution; otherwise the longest side to decode at: a
 *     larger image is subsampled by the smallest whole factor that fits it (a detector that looks
 *     at 224 px needs no 12,000 px scan in memory)
 */
public record DecodeLimits(long maxPixels, int maxSide) {
  public DecodeLimits {
    if (maxPixels <= 0) {
      throw new IllegalArgumentException("the pixel limit must be positive: " + maxPixels);
    }
    if (maxSide < 0) {
      throw new IllegalArgumentException("the longest side must be 0 (full resolution) or positive: " + maxSide);
    }
  }

  /** Full resolution under {@link ImageFiles#maxPixels()} (the JVM property, or 16384 x 16384). */
  public static DecodeLimits defaults() {
    return new DecodeLimits(ImageFiles.maxPixels(), 0);
  }

  /**
   * From configuration values where 0 (or less) means "the default": {@link ImageFiles#maxPixels()}
   * for the pixel limit, full resolution for the side.
   */
  public static DecodeLimits of(long maxPixels, int maxSide) {
    return new DecodeLimits(maxPixels > 0 ? maxPixels : ImageFiles.maxPixels(), Math.max(0, maxSide));
  }

  /** These limits decoding at most {@code side} pixels on the longest side (0: full resolution). */
  public DecodeLimits withMaxSide(int side) {
    return new DecodeLimits(maxPixels, side);
  }

  /** The whole factor an image of this size is subsampled by: 1 when it fits (or no side limit is set). */
  public int subsampling(int width, int height) {
    int longest = Math.max(width, height);
    if (maxSide == 0 || longest <= maxSide) {
      return 1;
    }
    return (longest + maxSide - 1) / maxSide;
  }
}
