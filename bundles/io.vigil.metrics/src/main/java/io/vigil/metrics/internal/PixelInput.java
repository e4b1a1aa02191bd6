package io.vigil.metrics.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Mask;
import io.vigil.api.metric.ScoredFrame;

/** The checks every pixel metric makes on a frame. */
final class PixelInput {
  private PixelInput() {}

  /**
   * The frame's mask, an empty one for a good frame without mask, or null for a defective frame
   * without mask (no pixel ground truth: the caller counts it and reports no value).
   *
   * @throws IllegalArgumentException when the frame has no map or map and mask differ in size
   */
  static Mask maskOf(ScoredFrame frame) {
    AnomalyMap map = frame.map();
    if (map == null) {
      throw new IllegalArgumentException("frame " + frame.id() + " has no anomaly map; pixel metrics need one");
    }
    GroundTruth truth = frame.truth();
    Mask mask = truth.mask();
    if (mask == null) {
      return truth.anomalous() ? null : Mask.empty(map.width(), map.height());
    }
    if (mask.width() != map.width() || mask.height() != map.height()) {
      throw new IllegalArgumentException("frame " + frame.id() + ": anomaly map is " + map.width() + "x" + map.height()
          + " but its mask is " + mask.width() + "x" + mask.height());
    }
    return mask;
  }

  /**
   * How many pixels may be kept for an exact computation: the configured limit, lowered so the
   * kept scores take at most a sixteenth of the heap ({@code bytesPerPixel} each).
   */
  static long exactLimit(long configured, int bytesPerPixel) {
    long byHeap = Runtime.getRuntime().maxMemory() / 16 / bytesPerPixel;
    return Math.max(0, Math.min(Math.min(configured, byHeap), Integer.MAX_VALUE - 16));
  }
}
