package io.vigil.api.detector;

/**
 * Per-pixel anomaly scores at image resolution, row-major; higher means more anomalous. The
 * array is shared, not copied: nobody modifies it after construction.
 */
public final class AnomalyMap {
  private final int width;
  private final int height;
  private final float[] values;

  public AnomalyMap(int width, int height, float[] values) {
    if (width <= 0 || height <= 0 || values.length != width * height) {
      throw new IllegalArgumentException(
          "map of " + width + "x" + height + " needs " + (long) width * height + " values, got " + values.length);
    }
    this.width = width;
    this.height = height;
    this.values = values;
  }

  public int width() {
    return width;
  }

  public int height() {
    return height;
  }

  public float get(int x, int y) {
    return values[y * width + x];
  }

  /** The row-major values. Shared, do not modify. */
  public float[] values() {
    return values;
  }

  public float max() {
    float max = Float.NEGATIVE_INFINITY;
    for (float v : values) {
      max = Math.max(max, v);
    }
    return max;
  }

  public float min() {
    float min = Float.POSITIVE_INFINITY;
    for (float v : values) {
      min = Math.min(min, v);
    }
    return min;
  }
}
