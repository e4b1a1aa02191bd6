package io.vigil.image;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.image.Image;
import java.awt.image.BufferedImage;

/** Anomaly maps drawn over their images in a blue-cyan-yellow-red scale, the way operators look at them. */
public final class Heatmaps {
  /** Overlay opacity of {@link #overlay(Image, AnomalyMap, Calibration)}. */
  public static final float DEFAULT_OPACITY = 0.5f;

  private Heatmaps() {}

  /**
   * Blue where a pixel scores at the model's normal level ({@link Calibration#location()}), red
   * where it alone reaches the model's threshold, so colours mean the same in every image of a
   * model. Falls back to the map's own range when the calibration gives no usable span.
   */
  public static BufferedImage overlay(Image image, AnomalyMap map, Calibration calibration) {
    double low = calibration.location();
    double high = calibration.threshold();
    if (!(high > low) || Double.isInfinite(high)) {
      low = map.min();
      high = map.max();
    }
    return overlay(image, map, low, high, DEFAULT_OPACITY);
  }

  /** The map over the image: {@code low} draws blue, {@code high} and above red, at {@code opacity} (0..1). */
  public static BufferedImage overlay(Image image, AnomalyMap map, double low, double high, float opacity) {
    if (image.width() != map.width() || image.height() != map.height()) {
      throw new IllegalArgumentException("anomaly map " + map.width() + "x" + map.height() + " does not match image "
          + image.width() + "x" + image.height());
    }
    double span = high > low ? high - low : 1;
    byte[] rgb = image.toRgb8().pixels8();
    int width = image.width();
    BufferedImage out = new BufferedImage(width, image.height(), BufferedImage.TYPE_INT_RGB);
    float[] values = map.values();
    for (int i = 0; i < values.length; i++) {
      int colour = jet(Math.max(0, Math.min(1, (values[i] - low) / span)));
      int r = blend(rgb[i * 3] & 0xFF, colour >> 16 & 0xFF, opacity);
      int g = blend(rgb[i * 3 + 1] & 0xFF, colour >> 8 & 0xFF, opacity);
      int b = blend(rgb[i * 3 + 2] & 0xFF, colour & 0xFF, opacity);
      out.setRGB(i % width, i / width, r << 16 | g << 8 | b);
    }
    return out;
  }

  /** The classic blue-cyan-yellow-red scale for t in [0, 1], as 0xRRGGBB. */
  public static int jet(double t) {
    int r = channel(1.5 - Math.abs(4 * t - 3));
    int g = channel(1.5 - Math.abs(4 * t - 2));
    int b = channel(1.5 - Math.abs(4 * t - 1));
    return r << 16 | g << 8 | b;
  }

  private static int channel(double v) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
  }

  private static int blend(int base, int colour, float opacity) {
    return Math.round((1 - opacity) * base + opacity * colour);
  }
}
