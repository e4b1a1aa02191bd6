package io.vigil.metrics.internal;

import java.util.Arrays;

/** Primitive lists for the exact computations: a boxed list would take five times the memory. */
final class GrowingArrays {
  private GrowingArrays() {}

  static final class Floats {
    private float[] values = new float[1024];
    private int size;

    void add(float value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    float get(int i) {
      return values[i];
    }

    /** Sorts in place and returns the backing array (valid up to {@link #size()}). */
    float[] sorted() {
      Arrays.sort(values, 0, size);
      return values;
    }
  }

  static final class Longs {
    private long[] values = new long[1024];
    private int size;

    void add(long value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    long get(int i) {
      return values[i];
    }

    long[] sorted() {
      Arrays.sort(values, 0, size);
      return values;
    }
  }

  static final class Ints {
    private int[] values = new int[256];
    private int size;

    void add(int value) {
      if (size == values.length) {
        values = Arrays.copyOf(values, grow(size));
      }
      values[size++] = value;
    }

    int size() {
      return size;
    }

    int get(int i) {
      return values[i];
    }
  }

  private static int grow(int size) {
    long next = size + (size >> 1) + 16L;
    if (next > Integer.MAX_VALUE - 8) {
      if (size >= Integer.MAX_VALUE - 8) {
        throw new IllegalStateException("more than " + size + " values: lower the exact pixel limit");
      }
      next = Integer.MAX_VALUE - 8;
    }
    return (int) next;
  }
}
