package io.vigil.metrics.internal;

import io.vigil.api.image.Mask;

/** The defect regions of a mask: its 8-connected components, as the MVTec AD protocol defines them. */
final class Regions {
  /** Per pixel, row-major: 0 for defect-free, else the region number 1..count. */
  final int[] labels;
  /** sizes[r - 1] is the pixel count of region r. */
  final int[] sizes;

  private Regions(int[] labels, int[] sizes) {
    this.labels = labels;
    this.sizes = sizes;
  }

  int count() {
    return sizes.length;
  }

  static Regions of(Mask mask) {
    int width = mask.width();
    int height = mask.height();
    int[] labels = new int[width * height];
    if (mask.isEmpty()) {
      return new Regions(labels, new int[0]);
    }
    int[] queue = new int[width * height];
    GrowingArrays.Ints sizes = new GrowingArrays.Ints();
    int region = 0;
    for (int start = 0; start < labels.length; start++) {
      if (!mask.isDefect(start) || labels[start] != 0) {
        continue;
      }
      region++;
      // Breadth-first flood fill over the 8 neighbours.
      int head = 0;
      int tail = 0;
      queue[tail++] = start;
      labels[start] = region;
      while (head < tail) {
        int pixel = queue[head++];
        int x = pixel % width;
        int y = pixel / width;
        for (int dy = -1; dy <= 1; dy++) {
          int ny = y + dy;
          if (ny < 0 || ny >= height) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            if (nx < 0 || nx >= width) {
              continue;
            }
            int neighbour = ny * width + nx;
            if (labels[neighbour] == 0 && mask.isDefect(neighbour)) {
              labels[neighbour] = region;
              queue[tail++] = neighbour;
            }
          }
        }
      }
      sizes.add(tail);
    }
    int[] regionSizes = new int[sizes.size()];
    for (int i = 0; i < regionSizes.length; i++) {
      regionSizes[i] = sizes.get(i);
    }
    return new Regions(labels, regionSizes);
  }
}
