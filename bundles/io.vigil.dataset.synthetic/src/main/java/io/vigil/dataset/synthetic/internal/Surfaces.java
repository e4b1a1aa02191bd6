package io.vigil.dataset.synthetic.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.SyntheticDataset.Sample;
import java.util.Random;

/**
 * Brushed-metal-like surfaces and the defects painted on them. Everything follows from the seed,
 * the split, the type and the index, through {@link Random} (whose sequence Java specifies) and
 * {@link StrictMath} (whose results are specified to the bit, unlike {@link Math}'s intrinsics), so
 * images are the same on every machine.
 */
public final class Surfaces {
  private Surfaces() {}

  public static Sample sample(long seed, int size, String split, String type, int index) {
    Random random = new Random(mix(seed, split, type, index));
    float[][] rgb = surface(random, size);
    boolean[] mask = new boolean[size * size];
    switch (type) {
      case GroundTruth.GOOD -> { }
      case "scratch" -> scratch(random, size, rgb, mask);
      case "hole" -> hole(random, size, rgb, mask);
      case "stain" -> stain(random, size, rgb, mask);
      default -> throw new IllegalArgumentException("unknown defect type " + type);
    }
    Image image = toImage(size, rgb);
    Mask truthMask = Mask.of(size, size, mask);
    GroundTruth truth = GroundTruth.GOOD.equals(type) ? GroundTruth.good(truthMask) : GroundTruth.defect(type, truthMask);
    return new Sample(image, truth);
  }

  /** A stable seed per item; String.hashCode is specified, so this is the same on every JVM. */
  static long mix(long seed, String split, String type, int index) {
    long h = seed * 0x9E3779B97F4A7C15L;
    h = (h ^ split.hashCode()) * 0xBF58476D1CE4E5B9L;
    h = (h ^ type.hashCode()) * 0x94D049BB133111EBL;
    return h ^ (index * 0x2545F4914F6CDD1DL);
  }

  /** Grey metal with a slight tint, long brush strokes along x, soft waves and grain. */
  private static float[][] surface(Random random, int size) {
    double tone = 120 + random.nextDouble() * 30;
    double[] tint = {1.0, 0.98 + random.nextDouble() * 0.02, 0.94 + random.nextDouble() * 0.04};
    double scale = size / 128.0;
    double fx = (0.8 + random.nextDouble() * 0.6) / (40 * scale);
    double fy = (0.8 + random.nextDouble() * 0.6) / (55 * scale);
    double phaseX = random.nextDouble() * 2 * Math.PI;
    double phaseY = random.nextDouble() * 2 * Math.PI;
    // Brush strokes: a smoothed random value per row, varying slowly along the row.
    double[] rows = new double[size];
    double previous = 0;
    for (int y = 0; y < size; y++) {
      previous = 0.7 * previous + 0.3 * random.nextGaussian();
      rows[y] = previous;
    }
    float[][] rgb = new float[3][size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double value = tone
            + 10 * StrictMath.sin(2 * Math.PI * x * fx + phaseX) * StrictMath.cos(2 * Math.PI * y * fy + phaseY)
            + 9 * rows[y] * (0.8 + 0.2 * StrictMath.sin(x / (9.0 * scale)))
            + 3.5 * random.nextGaussian();
        for (int c = 0; c < 3; c++) {
          rgb[c][y * size + x] = (float) (value * tint[c]);
        }
      }
    }
    return rgb;
  }

  /** A thin curved line, lighter or darker than the metal. */
  private static void scratch(Random random, int size, float[][] rgb, boolean[] mask) {
    double margin = size * 0.15;
    double x0 = margin + random.nextDouble() * (size - 2 * margin);
    double y0 = margin + random.nextDouble() * (size - 2 * margin);
    double angle = random.nextDouble() * Math.PI;
    double length = size * (0.3 + random.nextDouble() * 0.3);
    double x2 = clamp(x0 + StrictMath.cos(angle) * length, margin / 2, size - margin / 2);
    double y2 = clamp(y0 + StrictMath.sin(angle) * length, margin / 2, size - margin / 2);
    double bend = (random.nextDouble() - 0.5) * length * 0.4;
    double x1 = (x0 + x2) / 2 - StrictMath.sin(angle) * bend;
    double y1 = (y0 + y2) / 2 + StrictMath.cos(angle) * bend;
    double radius = Math.max(0.8, size / 128.0 * (0.8 + random.nextDouble() * 0.6));
    double delta = random.nextBoolean() ? 75 : -70;
    int steps = (int) (length * 4);
    for (int s = 0; s <= steps; s++) {
      double t = (double) s / steps;
      double x = (1 - t) * (1 - t) * x0 + 2 * (1 - t) * t * x1 + t * t * x2;
      double y = (1 - t) * (1 - t) * y0 + 2 * (1 - t) * t * y1 + t * t * y2;
      stamp(size, x, y, radius, rgb, mask, delta);
    }
  }

  private static void stamp(int size, double cx, double cy, double radius, float[][] rgb, boolean[] mask, double delta) {
    int r = (int) Math.ceil(radius + 1);
    for (int y = (int) cy - r; y <= (int) cy + r; y++) {
      for (int x = (int) cx - r; x <= (int) cx + r; x++) {
        if (x < 0 || y < 0 || x >= size || y >= size) {
          continue;
        }
        double distance = StrictMath.hypot(x + 0.5 - cx, y + 0.5 - cy);
        if (distance <= radius) {
          int p = y * size + x;
          if (!mask[p]) {
            for (int c = 0; c < 3; c++) {
              rgb[c][p] += (float) delta;
            }
            mask[p] = true;
          }
        }
      }
    }
  }

  /** A round hole: dark inside, a bright rim where light catches the edge. */
  private static void hole(Random random, int size, float[][] rgb, boolean[] mask) {
    double radius = size * (0.04 + random.nextDouble() * 0.05);
    double margin = radius + size * 0.08;
    double cx = margin + random.nextDouble() * (size - 2 * margin);
    double cy = margin + random.nextDouble() * (size - 2 * margin);
    double rim = Math.max(1.2, radius * 0.25);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double distance = StrictMath.hypot(x + 0.5 - cx, y + 0.5 - cy);
        int p = y * size + x;
        if (distance <= radius) {
          double depth = 1 - distance / radius;
          for (int c = 0; c < 3; c++) {
            rgb[c][p] = (float) (35 + 25 * (1 - depth) + 0.1 * rgb[c][p]);
          }
          mask[p] = true;
        } else if (distance <= radius + rim) {
          // The rim is lit from the top left: brighter on that side.
          double light = 0.5 + 0.5 * ((cx - x) + (cy - y)) / (StrictMath.hypot(cx - x, cy - y) + 1e-9);
          for (int c = 0; c < 3; c++) {
            rgb[c][p] += (float) (25 + 45 * light);
          }
          mask[p] = true;
        }
      }
    }
  }

  /** A brownish blotch with soft edges: a few overlapping blobs. */
  private static void stain(Random random, int size, float[][] rgb, boolean[] mask) {
    int blobs = 3 + random.nextInt(3);
    double spread = size * (0.05 + random.nextDouble() * 0.04);
    double margin = size * 0.25;
    double cx = margin + random.nextDouble() * (size - 2 * margin);
    double cy = margin + random.nextDouble() * (size - 2 * margin);
    double[][] centres = new double[blobs][3];
    for (int b = 0; b < blobs; b++) {
      centres[b][0] = cx + random.nextGaussian() * spread;
      centres[b][1] = cy + random.nextGaussian() * spread;
      centres[b][2] = spread * (0.6 + random.nextDouble() * 0.6);
    }
    double[] colour = {95 + random.nextDouble() * 20, 70 + random.nextDouble() * 15, 40 + random.nextDouble() * 15};
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        double field = 0;
        for (double[] centre : centres) {
          double dx = x + 0.5 - centre[0];
          double dy = y + 0.5 - centre[1];
          field += StrictMath.exp(-(dx * dx + dy * dy) / (2 * centre[2] * centre[2]));
        }
        double alpha = clamp((field - 0.35) * 2.2, 0, 1) * 0.8;
        if (alpha <= 0) {
          continue;
        }
        int p = y * size + x;
        for (int c = 0; c < 3; c++) {
          rgb[c][p] = (float) (rgb[c][p] * (1 - alpha) + colour[c] * alpha);
        }
        if (alpha > 0.25) {
          mask[p] = true;
        }
      }
    }
  }

  static Image toImage(int size, float[][] rgb) {
    byte[] pixels = new byte[size * size * 3];
    for (int p = 0; p < size * size; p++) {
      for (int c = 0; c < 3; c++) {
        pixels[p * 3 + c] = (byte) Math.round(clamp(rgb[c][p], 0, 255));
      }
    }
    return Image.of8Bit(size, size, 3, pixels);
  }

  private static double clamp(double value, double lo, double hi) {
    return Math.max(lo, Math.min(hi, value));
  }
}
