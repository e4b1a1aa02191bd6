package io.vigil.image;

/** The upright size of an image file, read from its header. */
public record ImageSize(int width, int height) {
  public ImageSize {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("image size must be positive: " + width + "x" + height);
    }
  }

  @Override
  public String toString() {
    return width + "x" + height;
  }
}
