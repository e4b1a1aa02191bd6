package io.vigil.detector.patchcore.internal;

import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Image;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fitted PatchCore model: scores images into anomaly maps, image scores and decisions. */
final class PatchCoreDetector implements Detector, AutoCloseable {
  private final String name;
  private final PatchCoreMetadata metadata;
  private final Path directory;
  private final PatchCoreInference inference;

  PatchCoreDetector(String name, PatchCoreMetadata metadata, Path directory, PatchCoreInference inference) {
    this.name = name;
    this.metadata = metadata;
    this.directory = directory;
    this.inference = inference;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String algorithm() {
    return PatchCoreMetadata.ALGORITHM;
  }

  @Override
  public Calibration calibration() {
    return metadata.calibration();
  }

  PatchCoreMetadata metadata() {
    return metadata;
  }

  Path directory() {
    return directory;
  }

  PatchCoreInference inference() {
    return inference;
  }

  @Override
  public Detection detect(Image image) throws DetectionException {
    return detect(List.of(image)).get(0);
  }

  @Override
  public List<Detection> detect(List<Image> images) throws DetectionException {
    List<Detection> detections = new ArrayList<>(images.size());
    try {
      for (PatchCoreInference.Scored scored : inference.score(images)) {
        detections.add(metadata.calibration().detection(scored.map(), scored.score()));
      }
    } catch (RuntimeException e) {
      throw new DetectionException("PatchCore model '" + name + "' could not score: " + e.getMessage(), e);
    }
    return detections;
  }

  @Override
  public void close() {
    inference.close();
  }

  @Override
  public String toString() {
    return "PatchCore '" + name + "' (" + directory + ")";
  }
}
