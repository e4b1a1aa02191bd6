package io.vigil.report.csv.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.awt.image.BufferedImage;

/** The anomaly map drawn over the image in a blue-to-red scale, half transparent. */
final class Heatmaps {
  private static final double OPACITY = 0.5;

  private Heatmaps() {}

  /**
   * Blue where a pixel scores at the model's normal level ({@link Calibration#location()}), red
   * where it alone reaches the model's threshold, so colours mean the same in every image of a
   * run. Falls back to the map's own range when the calibration gives no usable span.
   */
  static BufferedImage overlay(Image image, AnomalyMap map, Calibration calibration) {
    if (image.width() != map.width() || image.height() != map.height()) {
      throw new IllegalArgumentException("anomaly map " + map.width() + "x" + map.height() + " does not match image "
          + image.width() + "x" + image.height());
    }
    double low = calibration.location();
    double high = calibration.threshold();
    if (!(high > low) || Double.isInfinite(high)) {
      low = map.min();
      high = map.max();
    }
    double span = high > low ? high - low : 1;
    BufferedImage base = ImageFiles.toBufferedImage(image.toRgb8());
    int width = image.width();
    BufferedImage out = new BufferedImage(width, image.height(), BufferedImage.TYPE_INT_RGB);
    float[] values = map.values();
    for (int i = 0; i < values.length; i++) {
      int x = i % width;
      int y = i / width;
      double t = Math.max(0, Math.min(1, (values[i] - low) / span));
      int colour = jet(t);
      int pixel = base.getRGB(x, y);
      out.setRGB(x, y, blend(pixel >> 16 & 0xFF, colour >> 16 & 0xFF) << 16
          | blend(pixel >> 8 & 0xFF, colour >> 8 & 0xFF) << 8
          | blend(pixel & 0xFF, colour & 0xFF));
    }
    return out;
  }

  /** The classic blue-cyan-yellow-red scale for t in [0, 1]. */
  static int jet(double t) {
    int r = channel(1.5 - Math.abs(4 * t - 3));
    int g = channel(1.5 - Math.abs(4 * t - 2));
    int b = channel(1.5 - Math.abs(4 * t - 1));
    return r << 16 | g << 8 | b;
  }

  private static int channel(double v) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, v)));
  }

  private static int blend(int base, int colour) {
    return (int) Math.round((1 - OPACITY) * base + OPACITY * colour);
  }
}
