package io.vigil.image;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import java.awt.image.BufferedImage;

/** Anomaly maps drawn over their images, the way operators look at them. */
public final class Heatmaps {
  private Heatmaps() {}

  /**
   * The image in grey with the map as a colour overlay: scores at or below {@code low} are not
   * drawn, scores at {@code high} are drawn fully opaque red (through yellow for middling ones).
   *
   * @param opacity overlay opacity of the highest scores, 0..1
   */
  public static BufferedImage overlay(Image image, AnomalyMap map, float low, float high, float opacity) {
    if (map.width() != image.width() || map.height() != image.height()) {
      throw new IllegalArgumentException("map " + map.width() + "x" + map.height() + " does not fit image "
          + image.width() + "x" + image.height());
    }
    BufferedImage out = new BufferedImage(image.width(), image.height(), BufferedImage.TYPE_INT_RGB);
    Image rgb = image.toRgb8();
    byte[] pixels = rgb.pixels8();
    float range = Math.max(high - low, 1e-12f);
    for (int y = 0; y < image.height(); y++) {
      for (int x = 0; x < image.width(); x++) {
        int i = y * image.width() + x;
        int grey = ((pixels[i * 3] & 0xFF) * 77 + (pixels[i * 3 + 1] & 0xFF) * 150 + (pixels[i * 3 + 2] & 0xFF) * 29) >> 8;
        float t = Math.max(0f, Math.min(1f, (map.get(x, y) - low) / range));
        int color = colormap(t);
        float a = t * opacity;
        int r = Math.round(grey * (1 - a) + ((color >> 16) & 0xFF) * a);
        int g = Math.round(grey * (1 - a) + ((color >> 8) & 0xFF) * a);
        int b = Math.round(grey * (1 - a) + (color & 0xFF) * a);
        out.setRGB(x, y, r << 16 | g << 8 | b);
      }
    }
    return out;
  }

  /** 0 -> blue, 0.5 -> yellow, 1 -> red: a short "jet"-like ramp, 0xRRGGBB. */
  public static int colormap(float t) {
    float clamped = Math.max(0f, Math.min(1f, t));
    int r;
    int g;
    int b;
    if (clamped < 0.5f) {
      float u = clamped / 0.5f;
      r = Math.round(255 * u);
      g = Math.round(255 * u);
      b = Math.round(255 * (1 - u));
    } else {
      float u = (clamped - 0.5f) / 0.5f;
      r = 255;
      g = Math.round(255 * (1 - u));
      b = 0;
    }
    return r << 16 | g << 8 | b;
  }
}
