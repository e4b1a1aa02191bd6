package io.vigil.detector.patchcore.internal;

import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.profile.DetectorProfile;
import io.vigil.api.image.Image;
import io.vigil.detector.common.service.ModelDetector;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A fitted PatchCore model: scores images into anomaly maps, image scores and decisions. */
final class PatchCoreDetector extends ModelDetector implements DetectorProfile {
  private final PatchCoreMetadata metadata;
  private final PatchCoreInference inference;

  PatchCoreDetector(String name, PatchCoreMetadata metadata, Path directory, PatchCoreInference inference) {
    super(name, PatchCoreMetadata.ALGORITHM, "PatchCore", directory);
    this.metadata = metadata;
    this.inference = inference;
  }

  @Override
  public Calibration calibration() {
    return metadata.calibration();
  }

  PatchCoreMetadata metadata() {
    return metadata;
  }

  PatchCoreInference inference() {
    return inference;
  }

  @Override
  protected List<Detection> score(List<Image> images) {
    List<Detection> detections = new ArrayList<>(images.size());
    for (PatchCoreInference.Scored scored : inference.score(images)) {
      detections.add(metadata.calibration().detection(scored.map(), scored.score()));
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

  /**
   * The nearest-neighbour search per patch: the projection to the search's dimensions if any,
   * then one row of (dimensions + 1) against every bank entry ({@link MemoryBank}'s augmented
   * product); the 3x3 averaging and the minimum are left out.
   */
  @Override
  public long headFlopsPerCell() {
    MemoryBank bank = inference.bank();
    SearchProjection projection = inference.projection();
    return 2L * bank.size() * (bank.dimension() + 1) + (projection == null ? 0 : 2L * projection.multiplyAddsPerRow());
  }

  @Override
  protected void release() {
    inference.close();
  }
}
