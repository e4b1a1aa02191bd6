package io.vigil.metrics.internal;

/**
 * Maps floats to ints whose order is the floats' order, so scores can be sorted as packed longs
 * and binned by their leading bits (sign, exponent, leading mantissa bits: bins of equal
 * relative width at every magnitude, with no range to know in advance).
 */
final class SortableFloats {
  private SortableFloats() {}

  /** A key whose signed int order is the order of {@code value}; -0.0 and 0.0 share a key. */
  static int signedKey(float value) {
    int bits = Float.floatToIntBits(value == 0f ? 0f : value);
    return bits ^ ((bits >> 31) & 0x7FFFFFFF);
  }

  static float fromSignedKey(int key) {
    return Float.intBitsToFloat(key ^ ((key >> 31) & 0x7FFFFFFF));
  }

  /** A key whose unsigned order is the order of {@code value}. */
  static int unsignedKey(float value) {
    return signedKey(value) ^ 0x80000000;
  }

  static float fromUnsignedKey(int key) {
    return fromSignedKey(key ^ 0x80000000);
  }

  /** Rejects what no ranking metric can order. */
  static void requireNumber(float value, String frameId) {
    if (Float.isNaN(value)) {
      throw new IllegalArgumentException("frame " + frameId + ": the anomaly map holds NaN");
    }
  }
}
