package io.vigil.detector.patchcore.internal;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import java.util.Random;

/**
 * Synthetic defects on good images for the validation split (in the spirit of CutPaste and
 * DRAEM): a patch of the same image pasted elsewhere, a soft stain darker or brighter than the
 * surface, or a thin scratch; each with its mask. Used only to choose defaults without test labels.
 */
final class SyntheticDefects {
  private SyntheticDefects() {}

  record Defective(Image image, Mask mask, String kind) {}

  static Defective apply(Image good, Random random) {
    Image rgb = good.toRgb8();
    int w = rgb.width();
    int h = rgb.height();
    byte[] pixels = rgb.pixels8().clone();
    boolean[] mask = new boolean[w * h];
    int kind = random.nextInt(3);
    int side = Math.min(w, h);
    if (kind == 0) { // cut-paste: a rectangle of the image moved elsewhere, brightness shifted a little
      int pw = Math.max(4, (int) (side * (0.08 + 0.12 * random.nextDouble())));
      int ph = Math.max(4, (int) (side * (0.08 + 0.12 * random.nextDouble())));
      int sx = random.nextInt(w - pw);
      int sy = random.nextInt(h - ph);
      int dx = random.nextInt(w - pw);
      int dy = random.nextInt(h - ph);
      int shift = (random.nextBoolean() ? 1 : -1) * (10 + random.nextInt(30));
      byte[] source = rgb.pixels8();
      for (int y = 0; y < ph; y++) {
        for (int x = 0; x < pw; x++) {
          for (int c = 0; c < 3; c++) {
            int v = (source[((sy + y) * w + sx + x) * 3 + c] & 0xff) + shift;
            pixels[((dy + y) * w + dx + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
          }
          mask[(dy + y) * w + dx + x] = true;
        }
      }
    } else if (kind == 1) { // stain: a soft ellipse, darker or brighter
      double rx = side * (0.04 + 0.08 * random.nextDouble());
      double ry = side * (0.04 + 0.08 * random.nextDouble());
      double cx = rx + random.nextDouble() * (w - 2 * rx);
      double cy = ry + random.nextDouble() * (h - 2 * ry);
      double strength = (random.nextBoolean() ? 1 : -1) * (40 + random.nextInt(50));
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
          double r = Math.pow((x - cx) / rx, 2) + Math.pow((y - cy) / ry, 2);
          if (r < 1.5) {
            double alpha = Math.exp(-2 * r);
            for (int c = 0; c < 3; c++) {
              int v = (int) Math.round((pixels[(y * w + x) * 3 + c] & 0xff) + alpha * strength);
              pixels[(y * w + x) * 3 + c] = (byte) Math.max(0, Math.min(255, v));
            }
            mask[y * w + x] = r < 1;
          }
        }
      }
    } else { // scratch: a thin straight line
      double length = side * (0.2 + 0.3 * random.nextDouble());
      double angle = random.nextDouble() * Math.PI;
      double x0 = random.nextDouble() * w;
      double y0 = random.nextDouble() * h;
      double half = Math.max(1, side * 0.006);
      int value = random.nextBoolean() ? 20 + random.nextInt(40) : 200 + random.nextInt(55);
      for (double t = 0; t <= length; t += 0.5) {
        double px = x0 + t * Math.cos(angle);
        double py = y0 + t * Math.sin(angle);
        for (int y = (int) (py - half); y <= (int) (py + half); y++) {
          for (int x = (int) (px - half); x <= (int) (px + half); x++) {
            if (x >= 0 && y >= 0 && x < w && y < h) {
              for (int c = 0; c < 3; c++) {
                pixels[(y * w + x) * 3 + c] = (byte) value;
              }
              mask[y * w + x] = true;
            }
          }
        }
      }
    }
    return new Defective(Image.of8Bit(w, h, 3, pixels), Mask.of(w, h, mask), new String[] {"cut-paste", "stain", "scratch"}[kind]);
  }
}
