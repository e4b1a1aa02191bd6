package io.vigil.report.compare.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;

/**
 * Which good training images each run of a few-shot curve trains on and which it holds out for
 * validation. Per seed the images are shuffled once: the first {@code validation} are held out
 * (never trained on; they carry the synthetic defects of the validation split), and each count
 * trains on the first N of the rest, so a larger count's images include a smaller one's.
 */
record ShotPlan(int seed, List<Integer> heldOut, List<Run> runs) {
  /** One training: {@code count} images (the label "all" when it is every image not held out). */
  record Run(String label, List<Integer> images) {}

  /** {@code counts} may hold "all"; counts beyond what is left after the hold-out are cut to it (and run once). */
  static ShotPlan of(int images, int validation, List<String> counts, int seed) {
    if (validation < 1 || validation >= images) {
      throw new IllegalArgumentException("cannot hold out " + validation + " of " + images
          + " good images for validation and still train on some");
    }
    List<Integer> order = new ArrayList<>(IntStream.range(0, images).boxed().toList());
    Collections.shuffle(order, new Random(seed));
    List<Integer> heldOut = List.copyOf(order.subList(0, validation));
    List<Integer> pool = order.subList(validation, images);
    List<Run> runs = new ArrayList<>();
    List<Integer> done = new ArrayList<>();
    for (String count : counts) {
      int n = count.equals("all") ? pool.size() : Math.min(Integer.parseInt(count), pool.size());
      if (n < 1) {
        throw new IllegalArgumentException("a count must be at least 1, not " + count);
      }
      if (!done.contains(n)) {
        done.add(n);
        runs.add(new Run(n == pool.size() ? "all (" + n + ")" : String.valueOf(n), List.copyOf(pool.subList(0, n))));
      }
    }
    return new ShotPlan(seed, heldOut, runs);
  }
}
