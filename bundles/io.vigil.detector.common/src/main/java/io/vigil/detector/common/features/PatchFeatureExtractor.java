package io.vigil.detector.common.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.ImageTensors;
import java.util.List;

/**
 * Images to patch features: resize to the model input, the backbone's taps, then
 * {@link PatchFeatures}. Results live on the manager of the input (or the scope given).
 */
public final class PatchFeatureExtractor {
  private final Backbone backbone;
  private final List<String> taps;
  private final int inputSize;
  private final PatchFeatures patchFeatures;

  public PatchFeatureExtractor(Backbone backbone, List<String> taps, int inputSize, PatchFeatures patchFeatures) {
    this.backbone = backbone;
    this.taps = List.copyOf(taps);
    this.inputSize = inputSize;
    this.patchFeatures = patchFeatures;
  }

  public Backbone backbone() {
    return backbone;
  }

  public int inputSize() {
    return inputSize;
  }

  /** Images resized to the model input: (N, 3, S, S) RGB in [0, 1] on {@code scope}. */
  public NDArray input(NDManager scope, List<Image> images) {
    return ImageTensors.batch(scope, images, inputSize, inputSize);
  }

  /** Patch features (N, h, w, d) of images already resized: rgb (N, 3, S, S) in [0, 1]. */
  public NDArray patchFeatures(NDArray rgb) {
    return patchFeatures.embed(backbone.features(rgb, taps));
  }

  /** The same features channels first, (N, d, h, w). */
  public NDArray patchFeaturesChannelsFirst(NDArray rgb) {
    return patchFeatures.embedChannelsFirst(backbone.features(rgb, taps));
  }

  /** Patch features (N, h, w, d) of Vigil images, resized to the model input. */
  public NDArray patchFeatures(NDManager scope, List<Image> images) {
    return patchFeatures(input(scope, images));
  }
}
