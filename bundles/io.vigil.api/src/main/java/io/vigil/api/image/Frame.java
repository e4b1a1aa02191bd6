package io.vigil.api.image;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One image from a source with what is known about it.
 *
 * @param id          unique within its source (a relative file path, a camera frame number)
 * @param timestamp   when the image was taken (camera) or found (file)
 * @param origin      where it came from: a file path or a camera id
 * @param image       the pixels
 * @param groundTruth the label and mask for labelled data sets; null for live frames
 * @param metadata    free-form extras (exposure, trigger, ...); never null
 */
public record Frame(
    String id, Instant timestamp, String origin, Image image, GroundTruth groundTruth, Map<String, String> metadata) {

  public Frame {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(timestamp, "timestamp");
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(image, "image");
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** An unlabelled frame without metadata. */
  public Frame(String id, Instant timestamp, String origin, Image image) {
    this(id, timestamp, origin, image, null, Map.of());
  }

  public Optional<GroundTruth> optionalGroundTruth() {
    return Optional.ofNullable(groundTruth);
  }
}
