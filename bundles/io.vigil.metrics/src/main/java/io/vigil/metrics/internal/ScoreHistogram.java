package io.vigil.metrics.internal;

import java.util.Arrays;

/**
 * Streaming score distribution in fixed memory per magnitude: a float's sortable key is cut into
 * its top 9 bits (sign and exponent: one lazily allocated page each) and the next
 * {@value #SLOT_BITS} bits (the bin in that page). Every bin spans a relative width of at most
 * 2^-{@value #SLOT_BITS} (about 6e-5) of its values. A bin remembers whether it saw more than one
 * distinct value: only such mixed bins can make a result differ from the exact one, and by how
 * much is bounded in {@link Curves#area}.
 */
final class ScoreHistogram {
  static final int SLOT_BITS = 14;
  private static final int SLOTS = 1 << SLOT_BITS;
  private static final int PAGE_SHIFT = 32 - 9;
  private static final int SLOT_SHIFT = PAGE_SHIFT - SLOT_BITS;

  private final Page[] pages = new Page[1 << 9];

  private static final class Page {
    final double[] negative = new double[SLOTS];
    final double[] positive = new double[SLOTS];
    final float[] first = new float[SLOTS];
    final boolean[] mixed = new boolean[SLOTS];

    Page() {
      Arrays.fill(first, Float.NaN);
    }
  }

  /** Adds one score with its negative and positive weight (a pixel count, a region share). */
  void add(float value, double negative, double positive) {
    int key = SortableFloats.unsignedKey(value);
    int pageIndex = key >>> PAGE_SHIFT;
    int slot = (key >>> SLOT_SHIFT) & (SLOTS - 1);
    Page page = pages[pageIndex];
    if (page == null) {
      page = new Page();
      pages[pageIndex] = page;
    }
    page.negative[slot] += negative;
    page.positive[slot] += positive;
    float first = page.first[slot];
    if (Float.isNaN(first)) {
      page.first[slot] = value == 0f ? 0f : value;
    } else if (first != value) {
      page.mixed[slot] = true;
    }
  }

  /** Adds every score of {@code other}, as if each had been added here. */
  void addAll(ScoreHistogram other) {
    for (int pageIndex = 0; pageIndex < pages.length; pageIndex++) {
      Page from = other.pages[pageIndex];
      if (from == null) {
        continue;
      }
      Page page = pages[pageIndex];
      if (page == null) {
        page = new Page();
        pages[pageIndex] = page;
      }
      for (int slot = 0; slot < SLOTS; slot++) {
        float first = from.first[slot];
        if (Float.isNaN(first)) {
          continue;
        }
        page.negative[slot] += from.negative[slot];
        page.positive[slot] += from.positive[slot];
        if (Float.isNaN(page.first[slot])) {
          page.first[slot] = first;
          page.mixed[slot] = from.mixed[slot];
        } else if (from.mixed[slot] || page.first[slot] != first) {
          page.mixed[slot] = true;
        }
      }
    }
  }

  /** The non-empty bins from the highest scores down; a bin's threshold is its lowest possible value. */
  ScoreDistribution distribution() {
    ScoreDistribution distribution = new ScoreDistribution();
    for (int pageIndex = pages.length - 1; pageIndex >= 0; pageIndex--) {
      Page page = pages[pageIndex];
      if (page == null) {
        continue;
      }
      for (int slot = SLOTS - 1; slot >= 0; slot--) {
        if (Float.isNaN(page.first[slot])) {
          continue;
        }
        float threshold = page.mixed[slot]
            ? SortableFloats.fromUnsignedKey(pageIndex << PAGE_SHIFT | slot << SLOT_SHIFT)
            : page.first[slot];
        distribution.add(threshold, page.negative[slot], page.positive[slot], page.mixed[slot]);
      }
    }
    return distribution;
  }
}
