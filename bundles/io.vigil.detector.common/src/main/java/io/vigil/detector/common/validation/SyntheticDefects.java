package io.vigil.detector.common.validation;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import java.util.Random;

/**
 * Pastes synthetic defects into good 8-bit images, for validation without defective examples
 * (the CutPaste and DRAEM line of work). Sizes are relative to the image's shorter side and the
 * contrast to the image's own brightness spread, so the defects mean the same on any data set:
 * local and visible to a person. Most are small and clear (2 to 5 standard deviations, at least
 * 12 of 255); {@link DefectKind#SHADE} is large and faint (0.75 to 1.5 standard deviations, at
 * least 6 of 255), because lines produce both and a map's smoothing trades one against the other.
 * Every change is uniform across channels (grey stays grey). Deterministic for a given
 * {@link Random}.
 */
public final class SyntheticDefects {
  private static final int MAX_ATTEMPTS = 20;

  private SyntheticDefects() {}

  /** One defect of {@code kind} in a copy of {@code image} (8-bit, any channel count). */
  public static SyntheticDefect paste(Image image, DefectKind kind, Random random) {
    if (image.bitDepth() != 8) {
      image = image.toRgb8();
    }
    int width = image.width();
    int height = image.height();
    int channels = image.channels();
    byte[] source = image.pixels8();
    float[] luma = new float[width * height];
    for (int i = 0; i < luma.length; i++) {
      float sum = 0;
      for (int c = 0; c < channels; c++) {
        sum += source[i * channels + c] & 0xff;
      }
      luma[i] = sum / channels;
    }
    double contrast = contrast(luma, random);
    for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      float[] delta = new float[width * height]; // change per pixel, the same in every channel
      boolean[] mask = new boolean[width * height];
      switch (kind) {
        case SCRATCH -> scratch(width, height, contrast, random, delta, mask);
        case STAIN -> stain(width, height, contrast, random, delta, mask);
        case CUT_PASTE -> cutPaste(luma, width, height, contrast, random, delta, mask);
        case HOLE -> hole(width, height, contrast, random, delta, mask);
        case SHADE -> shade(width, height, faintContrast(luma, random), random, delta, mask);
        default -> throw new IllegalArgumentException(kind.toString());
      }
      byte[] pixels = source.clone();
      int changed = 0;
      int marked = 0;
      for (int i = 0; i < mask.length; i++) {
        if (!mask[i]) {
          continue;
        }
        marked++;
        boolean any = false;
        for (int c = 0; c < channels; c++) {
          int before = source[i * channels + c] & 0xff;
          int after = Math.max(0, Math.min(255, Math.round(before + delta[i])));
          any |= after != before;
          pixels[i * channels + c] = (byte) after;
        }
        if (any) {
          changed++;
        }
      }
      // A defect that clipping erased (bright on white, dark on black) is drawn again.
      if (marked > 0 && changed * 2 >= marked) {
        return new SyntheticDefect(Image.of8Bit(width, height, channels, pixels), Mask.of(width, height, mask), kind);
      }
    }
    throw new IllegalArgumentException("could not paste a visible " + kind + " into a " + width + "x" + height
        + " image (saturated?)");
  }

  /** 2 to 5 standard deviations of the image's brightness, at least 12 grey levels. */
  private static double contrast(float[] luma, Random random) {
    double std = std(luma);
    return Math.min(120, Math.max(12, uniform(random, 2, 5) * std));
  }

  /** 0.75 to 1.5 standard deviations of the image's brightness, at least 6 grey levels. */
  private static double faintContrast(float[] luma, Random random) {
    double std = std(luma);
    return Math.min(40, Math.max(6, uniform(random, 0.75, 1.5) * std));
  }

  private static double std(float[] luma) {
    double mean = 0;
    for (float v : luma) {
      mean += v;
    }
    mean /= luma.length;
    double variance = 0;
    for (float v : luma) {
      variance += (v - mean) * (v - mean);
    }
    return Math.sqrt(variance / luma.length);
  }

  private static double sign(Random random) {
    return random.nextBoolean() ? 1 : -1;
  }

  private static double uniform(Random random, double low, double high) {
    return low + (high - low) * random.nextDouble();
  }

  /** A quadratic Bezier curve 1-3 px wide (at 224 px), 15-50% of the shorter side long. */
  private static void scratch(int width, int height, double contrast, Random random, float[] delta, boolean[] mask) {
    int side = Math.min(width, height);
    double length = uniform(random, 0.15, 0.5) * side;
    double angle = uniform(random, 0, Math.PI);
    double x0 = uniform(random, 0.1, 0.9) * width;
    double y0 = uniform(random, 0.1, 0.9) * height;
    double x2 = x0 + Math.cos(angle) * length;
    double y2 = y0 + Math.sin(angle) * length;
    double bend = uniform(random, -0.3, 0.3) * length;
    double x1 = (x0 + x2) / 2 - Math.sin(angle) * bend;
    double y1 = (y0 + y2) / 2 + Math.cos(angle) * bend;
    double halfWidth = Math.max(0.5, uniform(random, 0.5, 1.5) * side / 224.0);
    float change = (float) (sign(random) * contrast);
    int samples = (int) Math.ceil(length * 2) + 2;
    for (int s = 0; s <= samples; s++) {
      double t = (double) s / samples;
      double px = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * x1 + t * t * x2;
      double py = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * y1 + t * t * y2;
      int r = (int) Math.ceil(halfWidth);
      for (int y = (int) Math.floor(py) - r; y <= (int) Math.ceil(py) + r; y++) {
        for (int x = (int) Math.floor(px) - r; x <= (int) Math.ceil(px) + r; x++) {
          if (x >= 0 && y >= 0 && x < width && y < height
              && (x + 0.5 - px) * (x + 0.5 - px) + (y + 0.5 - py) * (y + 0.5 - py) <= halfWidth * halfWidth) {
            mask[y * width + x] = true;
            delta[y * width + x] = change;
          }
        }
      }
    }
  }

  /**
   * An irregular blob: Perlin noise added to a radial falloff, thresholded; its brightness change
   * is modulated by a second noise so the stain has texture.
   */
  private static void stain(int width, int height, double contrast, Random random, float[] delta, boolean[] mask) {
    int side = Math.min(width, height);
    double radius = uniform(random, 0.06, 0.2) * side;
    double cx = uniform(random, 0.1, 0.9) * width;
    double cy = uniform(random, 0.1, 0.9) * height;
    Perlin shape = new Perlin(random.nextLong());
    Perlin texture = new Perlin(random.nextLong());
    double cell = Math.max(2, radius / 2);
    double change = sign(random) * contrast;
    int x0 = Math.max(0, (int) (cx - radius * 1.5));
    int x1 = Math.min(width - 1, (int) (cx + radius * 1.5));
    int y0 = Math.max(0, (int) (cy - radius * 1.5));
    int y1 = Math.min(height - 1, (int) (cy + radius * 1.5));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double r2 = ((x - cx) * (x - cx) + (y - cy) * (y - cy)) / (radius * radius);
        double field = (1 - r2) + 0.8 * shape.noise(x / cell, y / cell);
        if (field > 0.3) {
          mask[y * width + x] = true;
          delta[y * width + x] = (float) (change * (0.75 + 0.25 * texture.noise(x / (cell / 2), y / (cell / 2))));
        }
      }
    }
  }

  /** A rectangle of 6-20% of the side, from elsewhere in the image, turned, its brightness shifted by 1-3 std. */
  private static void cutPaste(float[] luma, int width, int height, double contrast, Random random, float[] delta,
      boolean[] mask) {
    int side = Math.min(width, height);
    int w = Math.max(2, (int) (uniform(random, 0.06, 0.2) * side));
    int h = Math.max(2, (int) (uniform(random, 0.06, 0.2) * side));
    int sx = random.nextInt(width - w + 1);
    int sy = random.nextInt(height - h + 1);
    int dx = random.nextInt(width - w + 1);
    int dy = random.nextInt(height - h + 1);
    boolean flipX = random.nextBoolean();
    boolean flipY = random.nextBoolean();
    double shift = sign(random) * contrast * 0.6; // 1.2 to 3 std: the texture moved is itself a change
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        int fromX = sx + (flipX ? w - 1 - x : x);
        int fromY = sy + (flipY ? h - 1 - y : y);
        int to = (dy + y) * width + dx + x;
        mask[to] = true;
        delta[to] = (float) (luma[fromY * width + fromX] - luma[to] + shift);
      }
    }
  }

  /** A dark ellipse, 2-8% of the side in radius, keeping the surface's texture inside. */
  private static void hole(int width, int height, double contrast, Random random, float[] delta, boolean[] mask) {
    int side = Math.min(width, height);
    double a = Math.max(1.5, uniform(random, 0.02, 0.08) * side);
    double b = Math.max(1.5, a * uniform(random, 0.5, 1.0));
    double angle = uniform(random, 0, Math.PI);
    double cx = uniform(random, 0.05, 0.95) * width;
    double cy = uniform(random, 0.05, 0.95) * height;
    double cos = Math.cos(angle);
    double sin = Math.sin(angle);
    for (int y = Math.max(0, (int) (cy - a - 1)); y <= Math.min(height - 1, (int) (cy + a + 1)); y++) {
      for (int x = Math.max(0, (int) (cx - a - 1)); x <= Math.min(width - 1, (int) (cx + a + 1)); x++) {
        double u = (x + 0.5 - cx) * cos + (y + 0.5 - cy) * sin;
        double v = -(x + 0.5 - cx) * sin + (y + 0.5 - cy) * cos;
        if (u * u / (a * a) + v * v / (b * b) <= 1) {
          mask[y * width + x] = true;
          delta[y * width + x] = (float) -contrast;
        }
      }
    }
  }

  /**
   * A large irregular region (radius 10-25% of the side, its outline bent by Perlin noise) whose
   * brightness changes smoothly: the full change at its centre, half of it at its edge, as a
   * discolouration fades. No texture of its own: the surface's shows through.
   */
  private static void shade(int width, int height, double contrast, Random random, float[] delta, boolean[] mask) {
    int side = Math.min(width, height);
    double radius = uniform(random, 0.1, 0.25) * side;
    double cx = uniform(random, 0.15, 0.85) * width;
    double cy = uniform(random, 0.15, 0.85) * height;
    Perlin outline = new Perlin(random.nextLong());
    double cell = Math.max(2, radius / 1.5);
    double change = sign(random) * contrast;
    int x0 = Math.max(0, (int) (cx - radius * 1.4));
    int x1 = Math.min(width - 1, (int) (cx + radius * 1.4));
    int y0 = Math.max(0, (int) (cy - radius * 1.4));
    int y1 = Math.min(height - 1, (int) (cy + radius * 1.4));
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double r = Math.sqrt((x - cx) * (x - cx) + (y - cy) * (y - cy)) / radius;
        double edge = 1 + 0.35 * outline.noise(x / cell, y / cell); // the outline's radius here
        if (r < edge) {
          double t = r / edge;
          mask[y * width + x] = true;
          delta[y * width + x] = (float) (change * (1 - 0.5 * t * t * (3 - 2 * t)));
        }
      }
    }
  }

  /** 2-D gradient noise (Perlin's, with a seeded permutation), values in about [-1, 1]. */
  static final class Perlin {
    private final int[] permutation = new int[512];

    Perlin(long seed) {
      Random random = new Random(seed);
      int[] p = new int[256];
      for (int i = 0; i < 256; i++) {
        p[i] = i;
      }
      for (int i = 255; i > 0; i--) {
        int j = random.nextInt(i + 1);
        int t = p[i];
        p[i] = p[j];
        p[j] = t;
      }
      for (int i = 0; i < 512; i++) {
        permutation[i] = p[i & 255];
      }
    }

    double noise(double x, double y) {
      int xi = (int) Math.floor(x) & 255;
      int yi = (int) Math.floor(y) & 255;
      double xf = x - Math.floor(x);
      double yf = y - Math.floor(y);
      double u = fade(xf);
      double v = fade(yf);
      int aa = permutation[permutation[xi] + yi];
      int ab = permutation[permutation[xi] + yi + 1];
      int ba = permutation[permutation[xi + 1] + yi];
      int bb = permutation[permutation[xi + 1] + yi + 1];
      double top = lerp(u, gradient(aa, xf, yf), gradient(ba, xf - 1, yf));
      double bottom = lerp(u, gradient(ab, xf, yf - 1), gradient(bb, xf - 1, yf - 1));
      return Math.sqrt(2) * lerp(v, top, bottom);
    }

    private static double fade(double t) {
      return t * t * t * (t * (t * 6 - 15) + 10);
    }

    private static double lerp(double t, double a, double b) {
      return a + t * (b - a);
    }

    private static double gradient(int hash, double x, double y) {
      return switch (hash & 3) {
        case 0 -> x + y;
        case 1 -> -x + y;
        case 2 -> x - y;
        default -> -x - y;
      };
    }
  }
}
