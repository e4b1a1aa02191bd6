package io.vigil.detector.common.calibration;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Good images split into those trained on and those held out (calibration, validation): a
 * seeded shuffle, the first {@code share} held out (at least one).
 *
 * @param training the images to train on
 * @param heldOut  the images held out, disjoint from {@code training}
 */
public record HeldOutSplit<T>(List<T> training, List<T> heldOut) {

  /**
   * @param random the seeded generator; it is advanced, so a trainer can go on drawing from it
   * @throws IllegalArgumentException when fewer than 2 items leave nothing to train on
   */
  public static <T> HeldOutSplit<T> of(List<T> items, double share, Random random) {
    int heldOutCount = Math.max(1, (int) Math.round(items.size() * share));
    if (items.size() - heldOutCount < 1) {
      throw new IllegalArgumentException("need at least 2 good images to train and calibrate, found " + items.size());
    }
    List<T> shuffled = new ArrayList<>(items);
    Collections.shuffle(shuffled, random);
    return new HeldOutSplit<>(List.copyOf(shuffled.subList(heldOutCount, shuffled.size())),
        List.copyOf(shuffled.subList(0, heldOutCount)));
  }
}
