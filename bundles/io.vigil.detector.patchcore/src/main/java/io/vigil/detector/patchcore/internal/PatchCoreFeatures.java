package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import io.vigil.detector.common.features.PatchFeatures;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkGraph;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

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

  PatchCoreFeatures(Backbone backbone, PatchCoreParameters parameters) {
    this.backbone = backbone;
    List<String> taps = List.copyOf(parameters.taps());
    int levelDimension = parameters.levelDimension();
    int embeddingDimension = parameters.embeddingDimension();
    // level.dimension 0: every tap keeps its channels, the shared code's KEEP (taps of other widths too).
    PatchFeatures pooling = levelDimension == 0
        ? new PatchFeatures(PatchFeatures.KEEP, embeddingDimension)
        : new PatchFeatures(levelDimension, embeddingDimension > 0 ? embeddingDimension : levelDimension * taps.size());
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
    return extractor.patchFeaturesChannelsFirst(rgb);
  }

  /**
   * Backbone, these features and {@code head} (after {@link PatchFeatureExtractor#EMBEDDING}) as one
   * compiled graph; empty when the backbone or the pooling cannot compile.
   */
  Optional<CompiledNetwork> compile(Consumer<NetworkGraph.Builder> head) {
    return extractor.compile(head);
  }

  /** One row per patch, (N * h * w, D), image-major then row-major over the grid. */
  static NDArray rows(NDArray channelsFirst) {
    Shape s = channelsFirst.getShape();
    return channelsFirst.transpose(0, 2, 3, 1).reshape(s.get(0) * s.get(2) * s.get(3), s.get(1));
  }
}
