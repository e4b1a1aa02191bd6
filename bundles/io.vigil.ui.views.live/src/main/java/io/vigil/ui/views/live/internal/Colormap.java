package io.vigil.ui.views.live.internal;

/**
 * The "jet" colour map anomaly heatmaps are usually shown in (blue for normal, through cyan, green
 * and yellow, to red for anomalous), as 0xRRGGBB.
 */
final class Colormap {
  private static final int STEPS = 256;
  private static final int[] TABLE = new int[STEPS];

  static {
    for (int i = 0; i < STEPS; i++) {
      double t = i / (STEPS - 1.0);
      int r = channel(1.5 - Math.abs(4 * t - 3));
      int g = channel(1.5 - Math.abs(4 * t - 2));
      int b = channel(1.5 - Math.abs(4 * t - 1));
      TABLE[i] = r << 16 | g << 8 | b;
    }
  }

  private Colormap() {}

  /** The colour of {@code t} in [0, 1]; values outside are clamped, NaN is the lowest colour. */
  static int jet(double t) {
    if (!(t > 0)) {
      return TABLE[0];
    }
    return TABLE[(int) Math.round(Math.min(1, t) * (STEPS - 1))];
  }

  private static int channel(double value) {
    return (int) Math.round(255 * Math.max(0, Math.min(1, value)));
  }
}
