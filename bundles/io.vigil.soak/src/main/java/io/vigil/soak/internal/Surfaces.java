package io.vigil.soak.internal;

import io.vigil.api.image.Image;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Grey textured surfaces (smooth value noise plus grain), made once: the source only hands them out. */
final class Surfaces {
  private Surfaces() {}

  static List<Image> make(int count, int side, long seed) {
    List<Image> images = new ArrayList<>(count);
    Random random = new Random(seed);
    for (int n = 0; n < count; n++) {
      int cells = 8;
      double[] grid = new double[(cells + 1) * (cells + 1)];
      for (int i = 0; i < grid.length; i++) {
        grid[i] = random.nextDouble();
      }
      byte[] pixels = new byte[side * side];
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double gx = (double) x * cells / side;
          double gy = (double) y * cells / side;
          int ix = (int) gx;
          int iy = (int) gy;
          double fx = gx - ix;
          double fy = gy - iy;
          double top = grid[iy * (cells + 1) + ix] * (1 - fx) + grid[iy * (cells + 1) + ix + 1] * fx;
          double bottom = grid[(iy + 1) * (cells + 1) + ix] * (1 - fx) + grid[(iy + 1) * (cells + 1) + ix + 1] * fx;
          double value = 90 + 60 * (top * (1 - fy) + bottom * fy) + random.nextGaussian() * 6;
          pixels[y * side + x] = (byte) Math.max(0, Math.min(255, (int) Math.round(value)));
        }
      }
      images.add(Image.of8Bit(side, side, 1, pixels));
    }
    return images;
  }
}
