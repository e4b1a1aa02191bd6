package io.vigil.detector.common.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.InputBatcher;
import io.vigil.backbone.Tap;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkGraph;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Images to patch features: resize to the model input, the backbone's taps, then
 * {@link PatchFeatures}. Results live on the manager of the input (or the scope given).
 */
public final class PatchFeatureExtractor {
  /** The embedding's node in {@link #compile}'s graph. */
  public static final String EMBEDDING = "embedding";

  /** Frame after frame through one staging buffer. */
  private final InputBatcher batcher = new InputBatcher();
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
    return batcher.batch(scope, images, inputSize, inputSize);
  }

  /** Patch features (N, h, w, d) of images already resized: rgb (N, 3, S, S) in [0, 1]. */
  public NDArray patchFeatures(NDArray rgb) {
    return patchFeatures.embed(backbone.features(rgb, taps));
  }

  /** The same features channels first, (N, d, h, w). */
  public NDArray patchFeaturesChannelsFirst(NDArray rgb) {
    return patchFeatures.embedChannelsFirst(backbone.features(rgb, taps));
  }

  /**
   * The backbone's taps, this embedding (graph node {@link #EMBEDDING}, (N, d, h, w)) and a
   * detector's head on it as one compiled graph at the model's input size: what
   * {@link #patchFeaturesChannelsFirst} and the head compute, without a pass through Java
   * between them. Its input is {@link #input}'s. The caller closes it.
   *
   * @param head adds the detector's nodes after {@link #EMBEDDING}, and the outputs
   * @return empty when the backbone does not compile or the embedding pools channels
   */
  public Optional<CompiledNetwork> compile(Consumer<NetworkGraph.Builder> head) {
    List<int[]> shapes = new ArrayList<>();
    for (String name : taps) {
      Tap tap = backbone.taps().stream().filter(t -> t.name().equals(name)).findFirst()
          .orElseThrow(() -> new IllegalArgumentException("the backbone has no tap " + name));
      int cells = (inputSize + tap.stride() - 1) / tap.stride();
      shapes.add(new int[] {tap.channels(), cells, cells});
    }
    if (!patchFeatures.hasGraphForm(shapes.stream().map(shape -> shape[0]).toList())) {
      return Optional.empty();
    }
    return backbone.compile(taps, inputSize, inputSize, (graph, tapNodes) -> {
      patchFeatures.addTo(graph, tapNodes, shapes, EMBEDDING);
      head.accept(graph);
    });
  }

  /** Patch features (N, h, w, d) of Vigil images, resized to the model input. */
  public NDArray patchFeatures(NDManager scope, List<Image> images) {
    return patchFeatures(input(scope, images));
  }
}
