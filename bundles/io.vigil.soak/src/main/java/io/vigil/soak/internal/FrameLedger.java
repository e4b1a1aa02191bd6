package io.vigil.soak.internal;

import java.util.BitSet;

/**
 * Which numbered frames came back as results, and how: once each, in the order they were made. A
 * frame made but never seen is lost; one seen again is duplicated; one seen after a later frame is
 * out of order. Keeps one bit per frame, not the results (their images and maps would pile up).
 */
final class FrameLedger {
  private final BitSet seen = new BitSet();
  private long results;
  private long duplicated;
  private long outOfOrder;
  private long errors;
  private long highest = -1;

  /** Records the result of frame {@code number}; {@code error} when it is an error result. */
  synchronized void record(long number, boolean error) {
    results++;
    if (error) {
      errors++;
    }
    int index = Math.toIntExact(number);
    if (seen.get(index)) {
      duplicated++;
      return;
    }
    seen.set(index);
    if (number < highest) {
      outOfOrder++;
    }
    highest = Math.max(highest, number);
  }

  synchronized long results() {
    return results;
  }

  synchronized long errors() {
    return errors;
  }

  synchronized long duplicated() {
    return duplicated;
  }

  synchronized long outOfOrder() {
    return outOfOrder;
  }

  /** Frames 0 .. {@code made} - 1 that never came back. */
  synchronized long lost(long made) {
    return made - seen.get(0, Math.toIntExact(made)).cardinality();
  }
}
