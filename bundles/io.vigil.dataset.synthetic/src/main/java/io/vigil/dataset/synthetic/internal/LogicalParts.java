package io.vigil.dataset.synthetic.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.SyntheticDataset.Sample;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Assembled parts whose defects are structural, not on the surface: a board with four screws in
 * its corners, a blue chip on the left, a red capacitor on the right and a yellow connector at the
 * bottom, each placed with a little jitter. A defective part has every surface as a good one and
 * differs only in what is where: a component missing, a component duplicated, the chip and the
 * capacitor swapped in position, or a screw missing (wrong count). The mask covers the affected
 * area: where the missing thing should be, the extra copy, or both swapped places.
 */
public final class LogicalParts {
  /** The defect types, in the order their folders are written. */
  public static final List<String> DEFECT_TYPES = List.of("missing", "duplicated", "swapped", "screws");

  private LogicalParts() {}

  /** A component: a filled shape at a centre, with its colour; the box is what a mask covers. */
  record Part(String kind, double cx, double cy, double halfWidth, double halfHeight, float[] colour) {
    Part at(double x, double y) {
      return new Part(kind, x, y, halfWidth, halfHeight, colour);
    }
  }

  public static Sample sample(long seed, int size, String split, String type, int index) {
    Random random = new Random(Surfaces.mix(seed, split, "logical-" + type, index));
    double s = size / 128.0;
    float[][] rgb = board(random, size);
    double jitter = 2.0 * s;
    List<Part> screws = new ArrayList<>();
    for (double[] corner : new double[][] {{14, 14}, {114, 14}, {14, 114}, {114, 114}}) {
      screws.add(new Part("screw", (corner[0] + j(random, 1.5)) * s, (corner[1] + j(random, 1.5)) * s, 6 * s, 6 * s,
          new float[] {178, 180, 186}));
    }
    Part chip = new Part("chip", 40 * s + j(random, jitter), 58 * s + j(random, jitter), 14 * s, 11 * s,
        new float[] {40, 70, 170});
    Part capacitor = new Part("capacitor", 88 * s + j(random, jitter), 58 * s + j(random, jitter), 10 * s, 10 * s,
        new float[] {190, 45, 40});
    Part connector = new Part("connector", 64 * s + j(random, jitter), 96 * s + j(random, jitter / 2), 22 * s, 5 * s,
        new float[] {215, 185, 50});
    List<Part> parts = new ArrayList<>(List.of(chip, capacitor, connector));
    boolean[] mask = new boolean[size * size];
    switch (type) {
      case GroundTruth.GOOD -> { }
      case "missing" -> {
        Part gone = parts.remove(random.nextInt(parts.size()));
        cover(mask, size, gone);
      }
      case "duplicated" -> {
        // A second chip or capacitor where the board is empty (above the components).
        Part original = random.nextBoolean() ? chip : capacitor;
        Part extra = original.at(original.cx() + j(random, 6 * s), 30 * s + j(random, 3 * s));
        parts.add(extra);
        cover(mask, size, extra);
      }
      case "swapped" -> {
        parts.set(0, chip.at(capacitor.cx(), capacitor.cy()));
        parts.set(1, capacitor.at(chip.cx(), chip.cy()));
        cover(mask, size, chip);
        cover(mask, size, capacitor);
        cover(mask, size, parts.get(0));
        cover(mask, size, parts.get(1));
      }
      case "screws" -> {
        Part gone = screws.remove(random.nextInt(screws.size()));
        cover(mask, size, gone);
      }
      default -> throw new IllegalArgumentException("unknown logical defect type " + type);
    }
    for (Part screw : screws) {
      draw(rgb, size, screw, random);
    }
    for (Part part : parts) {
      draw(rgb, size, part, random);
    }
    Image image = Surfaces.toImage(size, rgb);
    Mask truthMask = Mask.of(size, size, mask);
    GroundTruth truth = GroundTruth.GOOD.equals(type) ? GroundTruth.good(truthMask) : GroundTruth.defect(type, truthMask);
    return new Sample(image, truth);
  }

  static double j(Random random, double amplitude) {
    return (random.nextDouble() * 2 - 1) * amplitude;
  }

  /** A green board with a faint print grain. */
  static float[][] board(Random random, int size) {
    float[][] rgb = new float[3][size * size];
    double tone = 0.9 + random.nextDouble() * 0.1;
    for (int i = 0; i < size * size; i++) {
      double grain = random.nextGaussian() * 3;
      rgb[0][i] = (float) (35 * tone + grain);
      rgb[1][i] = (float) (105 * tone + grain);
      rgb[2][i] = (float) (60 * tone + grain);
    }
    return rgb;
  }

  /** Rectangles for the chip and connector, discs for the screws and the capacitor, with a dark rim. */
  static void draw(float[][] rgb, int size, Part part, Random random) {
    boolean round = part.kind().equals("screw") || part.kind().equals("capacitor") || part.kind().equals("led");
    int x0 = (int) StrictMath.floor(part.cx() - part.halfWidth() - 1);
    int x1 = (int) StrictMath.ceil(part.cx() + part.halfWidth() + 1);
    int y0 = (int) StrictMath.floor(part.cy() - part.halfHeight() - 1);
    int y1 = (int) StrictMath.ceil(part.cy() + part.halfHeight() + 1);
    for (int y = Math.max(0, y0); y <= Math.min(size - 1, y1); y++) {
      for (int x = Math.max(0, x0); x <= Math.min(size - 1, x1); x++) {
        double dx = (x + 0.5 - part.cx()) / part.halfWidth();
        double dy = (y + 0.5 - part.cy()) / part.halfHeight();
        double r = round ? StrictMath.sqrt(dx * dx + dy * dy) : Math.max(Math.abs(dx), Math.abs(dy));
        if (r > 1) {
          continue;
        }
        double shade = r > 0.85 ? 0.55 : 1.0; // the rim
        if (part.kind().equals("screw") && Math.abs(dy) < 0.18 && r < 0.75) {
          shade = 0.35; // the slot
        }
        int i = y * size + x;
        for (int c = 0; c < 3; c++) {
          rgb[c][i] = (float) (part.colour()[c] * shade + random.nextGaussian() * 2);
        }
      }
    }
  }

  /** Marks a part's box (its shape's bounding box) in the mask. */
  static void cover(boolean[] mask, int size, Part part) {
    int x0 = (int) StrictMath.floor(part.cx() - part.halfWidth());
    int x1 = (int) StrictMath.ceil(part.cx() + part.halfWidth());
    int y0 = (int) StrictMath.floor(part.cy() - part.halfHeight());
    int y1 = (int) StrictMath.ceil(part.cy() + part.halfHeight());
    for (int y = Math.max(0, y0); y < Math.min(size, y1); y++) {
      for (int x = Math.max(0, x0); x < Math.min(size, x1); x++) {
        mask[y * size + x] = true;
      }
    }
  }
}
