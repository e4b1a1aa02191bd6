package io.vigil.api.detector;

import io.vigil.api.image.Image;
import java.util.ArrayList;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A trained model that scores images. Registered as a service with {@link #NAME_PROPERTY} and
 * {@link #ALGORITHM_PROPERTY}; the station picks one by filter or service ranking.
 *
 * <p>Implementations are thread safe: the station scores on its worker while an evaluation or
 * the command line may score too.
 */
@ConsumerType
public interface Detector {
  /** Service property: the detector's (model's) name. */
  String NAME_PROPERTY = "vigil.detector.name";
  /** Service property: the algorithm, e.g. "simplenet", "efficientad". */
  String ALGORITHM_PROPERTY = "vigil.detector.algorithm";

  String name();

  String algorithm();

  /** The model's calibration: normalisation and default threshold. */
  Calibration calibration();

  /**
   * Scores one image of any size and channel count; the map comes back at the image's size.
   *
   * @throws DetectionException when the image cannot be scored
   */
  Detection detect(Image image) throws DetectionException;

  /** Scores a batch; implementations override this when batching is faster. */
  default List<Detection> detect(List<Image> images) throws DetectionException {
    List<Detection> detections = new ArrayList<>(images.size());
    for (Image image : images) {
      detections.add(detect(image));
    }
    return detections;
  }
}
