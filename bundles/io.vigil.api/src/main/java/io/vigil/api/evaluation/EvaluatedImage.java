package io.vigil.api.evaluation;

import io.vigil.api.detector.Detection;
import io.vigil.api.image.Frame;
import java.time.Duration;
import java.util.Objects;

/**
 * One scored test image.
 *
 * @param frame     the labelled frame (its ground truth is never null)
 * @param detection the detector's map, scores and decision
 * @param time      time spent scoring it
 */
public record EvaluatedImage(Frame frame, Detection detection, Duration time) {
  public EvaluatedImage {
    Objects.requireNonNull(frame, "frame");
    Objects.requireNonNull(frame.groundTruth(), "frame ground truth");
    Objects.requireNonNull(detection, "detection");
    Objects.requireNonNull(time, "time");
  }
}
