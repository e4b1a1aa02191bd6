package io.vigil.detector.simplenet.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.profile.DetectorProfile;
import io.vigil.api.image.Image;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trained SimpleNet model: scores images into anomaly maps, image scores and decisions. */
final class SimpleNetDetector implements Detector, DetectorProfile, AutoCloseable {
  private final String name;
  private final ModelMetadata metadata;
  private final Path directory;
  private final SimpleNetInference inference;

  SimpleNetDetector(String name, ModelMetadata metadata, Path directory, SimpleNetInference inference) {
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
    return ModelMetadata.ALGORITHM;
  }

  @Override
  public Calibration calibration() {
    return metadata.calibration();
  }

  ModelMetadata metadata() {
    return metadata;
  }

  Path directory() {
    return directory;
  }

  @Override
  public Detection detect(Image image) throws DetectionException {
    return detect(List.of(image)).get(0);
  }

  /** Scores in batches of the model's batch size; the image score is the map's maximum. */
  @Override
  public List<Detection> detect(List<Image> images) throws DetectionException {
    List<Detection> detections = new ArrayList<>(images.size());
    int batch = metadata.parameters().batchSize();
    try {
      for (int start = 0; start < images.size(); start += batch) {
        for (AnomalyMap map : inference.anomalyMaps(images.subList(start, Math.min(images.size(), start + batch)))) {
          detections.add(metadata.calibration().detection(map, map.max()));
        }
      }
    } catch (RuntimeException e) {
      throw new DetectionException("SimpleNet model '" + name + "' could not score: " + e.getMessage(), e);
    }
    return detections;
  }

  @Override
  public String backbone() {
    return metadata.parameters().backbone();
  }

  @Override
  public List<String> taps() {
    return metadata.parameters().taps();
  }

  @Override
  public int inputSize() {
    return metadata.parameters().inputSize();
  }

  /** The folded discriminator per patch: (embedding -> hidden) + bias, LeakyReLU, (hidden -> 1). */
  @Override
  public long headFlopsPerCell() {
    long hidden = metadata.parameters().discriminatorHidden();
    return 2L * metadata.parameters().embeddingDimension() * hidden + 2L * hidden;
  }

  @Override
  public void close() {
    inference.close();
  }

  @Override
  public String toString() {
    return "SimpleNet '" + name + "' (" + directory + ")";
  }
}
