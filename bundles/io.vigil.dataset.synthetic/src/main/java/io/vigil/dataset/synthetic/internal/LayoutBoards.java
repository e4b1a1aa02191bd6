package io.vigil.dataset.synthetic.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.SyntheticDataset.Sample;
import io.vigil.dataset.synthetic.internal.LogicalParts.Part;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Boards whose defects are wrong only in relation to far-apart parts, so that no neighbourhood of
 * a defective board looks unlike some neighbourhood of a good one. Small parts spread over a plain
 * board (in a 256 px frame, scaled to the image): a blue chip top left, a red capacitor top right,
 * an amber LED bottom left and a cyan LED bottom right, each about 95 px from the next, and a
 * centred row of three screws in the middle. The whole layout shifts by up to 16 px either way from
 * board to board (a board not held in a fixture), so what surrounds a part within reach of a
 * patch feature varies on the good boards too. The defects: a component missing (bare board where it belongs), a second chip or
 * capacitor on the bare board between the two (duplicated), chip and capacitor swapped in
 * position, the two LEDs swapped in colour, and a row of two or four screws instead of three (the
 * row stays centred at the same pitch, so each screw has the neighbours a good one has). Every part
 * in a defective board looks as it does on a good one, and is surrounded by bare board; only where
 * a part is, or how many there are, is wrong. The mask covers what changed: the missing or extra
 * part's box, both swapped places, the whole screw row.
 */
public final class LayoutBoards {
  /** The defect types, in the order their folders are written. */
  public static final List<String> DEFECT_TYPES = List.of("missing", "duplicated", "swapped", "colour", "count");

  /** How far the whole layout moves from board to board, in the 256 px frame, either way. */
  private static final double SHIFT = 16;
  private static final int SCREWS = 3;
  private static final double SCREW_PITCH = 22;
  private static final float[] AMBER = {235, 150, 40};
  private static final float[] CYAN = {60, 190, 210};

  private LayoutBoards() {}

  public static Sample sample(long seed, int size, String split, String type, int index) {
    Random random = new Random(Surfaces.mix(seed, split, "layout-" + type, index));
    double s = size / 256.0;
    float[][] rgb = LogicalParts.board(random, size);
    // The layout moves as a whole; each part a little on its own.
    double ox = LogicalParts.j(random, SHIFT) * s;
    double oy = LogicalParts.j(random, SHIFT) * s;
    Part chip = part(random, "chip", 60, 60, 13, 10, new float[] {40, 70, 170}, s, ox, oy);
    Part capacitor = part(random, "capacitor", 196, 60, 11, 11, new float[] {190, 45, 40}, s, ox, oy);
    Part amber = part(random, "led", 60, 196, 8, 8, AMBER, s, ox, oy);
    Part cyan = part(random, "led", 196, 196, 8, 8, CYAN, s, ox, oy);
    List<Part> parts = new ArrayList<>(List.of(chip, capacitor, amber, cyan));
    int screwCount = SCREWS;
    boolean[] mask = new boolean[size * size];
    switch (type) {
      case GroundTruth.GOOD -> { }
      case "missing" -> LogicalParts.cover(mask, size, parts.remove(random.nextInt(parts.size())));
      case "duplicated" -> {
        // On the bare board half way between chip and capacitor, 68 px (in the 256 px frame) from each.
        Part original = random.nextBoolean() ? chip : capacitor;
        Part extra = original.at((128 + LogicalParts.j(random, 4)) * s + ox, (60 + LogicalParts.j(random, 3)) * s + oy);
        parts.add(extra);
        LogicalParts.cover(mask, size, extra);
      }
      case "swapped" -> {
        parts.set(0, chip.at(capacitor.cx(), capacitor.cy()));
        parts.set(1, capacitor.at(chip.cx(), chip.cy()));
        for (Part p : List.of(chip, capacitor, parts.get(0), parts.get(1))) {
          LogicalParts.cover(mask, size, p);
        }
      }
      case "colour" -> {
        parts.set(2, new Part("led", amber.cx(), amber.cy(), amber.halfWidth(), amber.halfHeight(), CYAN));
        parts.set(3, new Part("led", cyan.cx(), cyan.cy(), cyan.halfWidth(), cyan.halfHeight(), AMBER));
        LogicalParts.cover(mask, size, amber);
        LogicalParts.cover(mask, size, cyan);
      }
      case "count" -> screwCount = random.nextBoolean() ? SCREWS - 1 : SCREWS + 1;
      default -> throw new IllegalArgumentException("unknown layout defect type " + type);
    }
    List<Part> screws = screwRow(random, screwCount, s, ox, oy);
    if (screwCount != SCREWS) {
      // The row as a whole is wrong: its span, the longer of the two rows.
      List<Part> span = screwCount > SCREWS ? screws : screwRow(new Random(0), SCREWS + 1, s, ox, oy);
      Part first = span.get(0);
      Part last = span.get(span.size() - 1);
      LogicalParts.cover(mask, size, new Part("row", (first.cx() + last.cx()) / 2, first.cy(),
          (last.cx() - first.cx()) / 2 + first.halfWidth(), first.halfHeight(), first.colour()));
    }
    for (Part screw : screws) {
      LogicalParts.draw(rgb, size, screw, random);
    }
    for (Part part : parts) {
      LogicalParts.draw(rgb, size, part, random);
    }
    Image image = Surfaces.toImage(size, rgb);
    Mask truthMask = Mask.of(size, size, mask);
    GroundTruth truth = GroundTruth.GOOD.equals(type) ? GroundTruth.good(truthMask) : GroundTruth.defect(type, truthMask);
    return new Sample(image, truth);
  }

  private static Part part(Random random, String kind, double x, double y, double halfWidth, double halfHeight,
      float[] colour, double s, double ox, double oy) {
    return new Part(kind, (x + LogicalParts.j(random, 2)) * s + ox, (y + LogicalParts.j(random, 2)) * s + oy,
        halfWidth * s, halfHeight * s, colour);
  }

  /** {@code count} screws centred on the board's middle at the same pitch. */
  private static List<Part> screwRow(Random random, int count, double s, double ox, double oy) {
    List<Part> screws = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      double x = 128 + (i - (count - 1) / 2.0) * SCREW_PITCH;
      screws.add(new Part("screw", (x + LogicalParts.j(random, 1)) * s + ox, (128 + LogicalParts.j(random, 1)) * s + oy,
          6 * s, 6 * s, new float[] {178, 180, 186}));
    }
    return screws;
  }
}
