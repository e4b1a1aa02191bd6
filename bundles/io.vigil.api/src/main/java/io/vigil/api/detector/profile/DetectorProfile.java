package io.vigil.api.detector.profile;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * What a detector built on a backbone runs for one image: the image resized to
 * {@link #inputSize()} square, the backbone's {@link #taps()}, then the detector's own layers on
 * the grid of the first tap, then its map post-processing. A {@code Detector} implements this
 * beside {@code Detector} when it fits that shape.
 */
@ConsumerType
public interface DetectorProfile {
  /** The backbone's name, as its factory registers it (e.g. "mobilenet_v2"). */
  String backbone();

  /** The backbone taps the detector reads, in order. */
  List<String> taps();

  /** The square size images are resized to before the backbone. */
  int inputSize();

  /**
   * Floating-point operations (a multiply-add counts two) of the detector's own layers for one
   * cell of the first tap's grid, counted from their weight shapes.
   */
  long headFlopsPerCell();
}
