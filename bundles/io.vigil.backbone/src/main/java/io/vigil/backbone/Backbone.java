package io.vigil.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * A loaded, frozen network. Thread safe; results live on the input's manager. Close it to free
 * its weights.
 */
@ProviderType
public interface Backbone extends AutoCloseable {

  String name();

  /** sha256 of the weights file: models trained on this backbone record it. */
  String weightsSha256();

  /** The layers {@link #features} can return, from the input side. */
  List<Tap> taps();

  /** Two taps at stride 8 and 16, the usual choice for patch features. */
  List<String> defaultTaps();

  /** The input size the network was trained at (224 for the ImageNet networks here). */
  int nativeInputSize();

  /**
   * Feature maps at the given taps.
   *
   * @param rgb images (N, 3, H, W), float32 RGB in [0, 1]; the backbone applies its own
   *     normalisation. Any H and W the network's strides allow.
   * @return one (N, C, H / stride, W / stride) array per tap, in the order asked
   */
  NDList features(NDArray rgb, List<String> taps);

  /**
   * Floating-point operations (a multiply-add counts two) that {@link #features} does for one
   * image of {@code height x width} to reach these taps, counted from the convolution and dense
   * layers' weight shapes and output sizes (the layers it actually runs, element-wise work left
   * out); -1 when the backbone cannot say.
   *
   * @since 1.1
   */
  default long flops(List<String> taps, int height, int width) {
    return -1;
  }

  /**
   * The layers up to {@code taps} and {@code head} on them as one compiled graph for
   * {@code height x width} input, when this backbone runs on a graph compiler: its input is
   * {@code rgb} as in {@link #features} (the backbone's normalisation is included), its outputs
   * the head's. The graph's input node ({@link io.vigil.djl.graph.NetworkGraph.Builder#inputName},
   * since 1.4) holds that {@code rgb} too, so a head may also read the image itself. The caller
   * closes it.
   *
   * @return empty when the backbone cannot compile (it then runs layer by layer)
   * @throws IllegalArgumentException when the engine cannot express a node of the head
   * @since 1.2
   */
  default java.util.Optional<io.vigil.djl.graph.CompiledNetwork> compile(
      List<String> taps, int height, int width, GraphHead head) {
    return java.util.Optional.empty();
  }

  /** ImageNet class probabilities (N, classes) for {@code rgb} as in {@link #features}. */
  NDArray classProbabilities(NDArray rgb);

  /** Class names by index, or an empty list when no label file was found. */
  List<String> classLabels();

  @Override
  void close();
}
