package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import io.vigil.detector.common.features.PatchFeatures;
import io.vigil.detector.common.features.ResamplingMatrices;
import java.util.ArrayList;
import java.util.List;

/**
 * PatchCore's locally aware patch features, on the shared patch feature code: each tap's 3x3
 * neighbourhood averaged, the taps resized to the finest grid and concatenated. With
 * {@code level.dimension} 0 every tap keeps all its channels (taps of different widths, such as
 * MobileNetV2's block outputs, then keep their own widths); otherwise the shared pooling to fixed
 * dimensions applies, as SimpleNet pools.
 */
final class PatchCoreFeatures {
  private final PatchFeatureExtractor extractor;
  private final Backbone backbone;
  private final List<String> taps;
  private final int levelDimension;
  private final int embeddingDimension;

  PatchCoreFeatures(Backbone backbone, PatchCoreParameters parameters) {
    this.backbone = backbone;
    this.taps = List.copyOf(parameters.taps());
    this.levelDimension = parameters.levelDimension();
    this.embeddingDimension = parameters.embeddingDimension();
    PatchFeatures pooling = new PatchFeatures(
        Math.max(1, levelDimension), embeddingDimension > 0 ? embeddingDimension : levelDimension * taps.size());
    this.extractor = new PatchFeatureExtractor(backbone, taps, parameters.inputSize(), pooling);
  }

  Backbone backbone() {
    return backbone;
  }

  /** Images resized to the model input, (N, 3, S, S) on {@code scope}. */
  NDArray input(NDManager scope, List<Image> images) {
    return extractor.input(scope, images);
  }

  /** Patch features channels first, (N, D, h, w). */
  NDArray channelsFirst(NDArray rgb) {
    if (levelDimension > 0) {
      return extractor.patchFeaturesChannelsFirst(rgb);
    }
    NDList levels = backbone.features(rgb, taps);
    Shape finest = levels.get(0).getShape();
    int height = (int) finest.get(2);
    int width = (int) finest.get(3);
    List<NDArray> averaged = new ArrayList<>(levels.size());
    for (NDArray level : levels) {
      int channels = (int) level.getShape().get(1);
      // A per-level dimension equal to the channel count is the shared code's plain 3x3 average.
      NDArray neighbourhoods = new PatchFeatures(channels, channels).neighbourhoodPool(level);
      averaged.add(ResamplingMatrices.resizeBilinear(neighbourhoods, height, width));
    }
    NDArray stacked = averaged.size() == 1 ? averaged.get(0) : NDArrays.concat(new NDList(averaged), 1);
    int channels = (int) stacked.getShape().get(1);
    if (embeddingDimension == 0 || embeddingDimension == channels) {
      return stacked;
    }
    return PatchFeatures.adaptiveAveragePool(stacked.transpose(0, 2, 3, 1), embeddingDimension).transpose(0, 3, 1, 2);
  }

  /** One row per patch, (N * h * w, D), image-major then row-major over the grid. */
  static NDArray rows(NDArray channelsFirst) {
    Shape s = channelsFirst.getShape();
    return channelsFirst.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1));
  }
}
