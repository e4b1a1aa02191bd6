package io.vigil.api.inspection;

import io.vigil.api.detector.Detection;
import io.vigil.api.image.Frame;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The station's answer for one frame: a detection, or the error that prevented one.
 *
 * @param sequence       1, 2, 3, ... in the order the station produced results
 * @param frame          the inspected frame; null only for an item that could not be read
 * @param frameId        the frame's id, or the unreadable item's origin
 * @param sourceName     the source the frame came from
 * @param detectorName   the detector that scored it; null when none did
 * @param detection      the map, scores and decision; null on error
 * @param error          what went wrong; null on success
 * @param processingTime time spent scoring
 * @param completedAt    when the result was produced
 * @param threshold      the raw-score threshold the decision was taken at (the model's, or the
 *     station's override); NaN on error or when unknown (since 1.2)
 */
public record InspectionResult(
    long sequence,
    Frame frame,
    String frameId,
    String sourceName,
    String detectorName,
    Detection detection,
    String error,
    Duration processingTime,
    Instant completedAt,
    double threshold) {

  /** A result whose threshold is not known (NaN). */
  public InspectionResult(
      long sequence, Frame frame, String frameId, String sourceName, String detectorName, Detection detection,
      String error, Duration processingTime, Instant completedAt) {
    this(sequence, frame, frameId, sourceName, detectorName, detection, error, processingTime, completedAt, Double.NaN);
  }

  public InspectionResult {
    Objects.requireNonNull(frameId, "frameId");
    Objects.requireNonNull(processingTime, "processingTime");
    Objects.requireNonNull(completedAt, "completedAt");
    if ((detection == null) == (error == null)) {
      throw new IllegalArgumentException("a result has either a detection or an error");
    }
  }

  public boolean isError() {
    return error != null;
  }

  public Optional<Detection> optionalDetection() {
    return Optional.ofNullable(detection);
  }
}
