package io.vigil.detector.simplenet.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.profile.DetectorProfile;
import io.vigil.api.image.Image;
import io.vigil.detector.common.service.ModelDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trained SimpleNet model: scores images into anomaly maps, image scores and decisions. */
final class SimpleNetDetector extends ModelDetector implements DetectorProfile {
  private final ModelMetadata metadata;
  private final SimpleNetInference inference;

  SimpleNetDetector(String name, ModelMetadata metadata, Path directory, SimpleNetInference inference) {
    super(name, ModelMetadata.ALGORITHM, "SimpleNet", directory);
    this.metadata = metadata;
    this.inference = inference;
  }

  @Override
  public Calibration calibration() {
    return metadata.calibration();
  }

  ModelMetadata metadata() {
    return metadata;
  }

  /** Scores in batches of the model's batch size; the image score is the map's maximum. */
  @Override
  protected List<Detection> score(List<Image> images) {
    List<Detection> detections = new ArrayList<>(images.size());
    int batch = metadata.parameters().batchSize();
    for (int start = 0; start < images.size(); start += batch) {
      for (AnomalyMap map : inference.anomalyMaps(images.subList(start, Math.min(images.size(), start + batch)))) {
        detections.add(metadata.calibration().detection(map, map.max()));
      }
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
    // The embedding as trained (the parameter may be 0, "keep every channel").
    return 2L * metadata.embeddingDimension() * hidden + 2L * hidden;
  }

  @Override
  protected void release() {
    inference.close();
  }
}
