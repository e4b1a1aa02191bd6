package io.vigil.detector.efficientad.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.profile.DetectorProfile;
import io.vigil.api.image.Image;
import io.vigil.detector.common.service.ModelDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A trained EfficientAD model: scores images into anomaly maps, image scores and decisions. */
final class EfficientAdDetector extends ModelDetector implements DetectorProfile {
  private final EfficientAdMetadata metadata;
  private final EfficientAdInference inference;
  private final EfficientAdNetworks networks;

  EfficientAdDetector(String name, EfficientAdMetadata metadata, Path directory, EfficientAdInference inference,
      EfficientAdNetworks networks) {
    super(name, EfficientAdMetadata.ALGORITHM, "EfficientAD", directory);
    this.metadata = metadata;
    this.inference = inference;
    this.networks = networks;
    inference.compileNetworks(); // a detector's networks are final: score through one compiled graph
  }

  @Override
  public Calibration calibration() {
    return metadata.calibration();
  }

  EfficientAdInference inference() {
    return inference;
  }

  EfficientAdMetadata metadata() {
    return metadata;
  }

  /** Scores in batches of the model's batch size; the image score is the map's maximum, as in the paper. */
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
    return metadata.parameters().teacherTaps();
  }

  @Override
  public int inputSize() {
    return metadata.parameters().inputSize();
  }

  /** Student and autoencoder (and a distilled teacher) per cell of the teacher's grid. */
  @Override
  public long headFlopsPerCell() {
    return (networks.flopsPerImage() + networks.teacherFlopsPerImage()) / ((long) networks.grid() * networks.grid());
  }

  @Override
  protected void release() {
    inference.close();
  }
}
