package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.Tap;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A loaded MobileNetV2: the block, its weights' manager and the class labels. */
final class MobileNetV2Backbone implements Backbone {
  /** Expansion outputs at stride 8 (28x28x192 at 224) and 16 (14x14x576): rich, local features. */
  static final List<String> DEFAULT_TAPS = List.of("block_6_expand", "block_13_expand");

  private final NDManager weightsManager;
  private final MobileNetV2 network;
  private final String weightsSha256;
  private final List<String> labels;

  MobileNetV2Backbone(NDManager weightsManager, MobileNetV2 network, String weightsSha256, List<String> labels) {
    this.weightsManager = weightsManager;
    this.network = network;
    this.weightsSha256 = weightsSha256;
    this.labels = List.copyOf(labels);
  }

  @Override
  public String name() {
    return MobileNetV2Factory.NAME;
  }

  @Override
  public String weightsSha256() {
    return weightsSha256;
  }

  @Override
  public List<Tap> taps() {
    return new ArrayList<>(network.taps().values());
  }

  @Override
  public List<String> defaultTaps() {
    return DEFAULT_TAPS;
  }

  @Override
  public int nativeInputSize() {
    return 224;
  }

  @Override
  public NDList features(NDArray rgb, List<String> taps) {
    Map<String, NDArray> outputs = network.run(store(rgb), normalize(rgb), new LinkedHashSet<>(taps), false);
    NDList features = new NDList(taps.size());
    for (String tap : taps) {
      features.add(outputs.get(tap));
    }
    return features;
  }

  @Override
  public long flops(List<String> taps, int height, int width) {
    return network.flops(new LinkedHashSet<>(taps), height, width);
  }

  @Override
  public NDArray classProbabilities(NDArray rgb) {
    return network.run(store(rgb), normalize(rgb), java.util.Set.of(), true).get("logits").softmax(1);
  }

  @Override
  public List<String> classLabels() {
    return labels;
  }

  @Override
  public void close() {
    weightsManager.close();
  }

  /** MobileNetV2 was trained on x / 127.5 - 1, i.e. [0, 1] mapped to [-1, 1]. */
  private static NDArray normalize(NDArray rgb) {
    if (rgb.getShape().dimension() != 4 || rgb.getShape().get(1) != 3) {
      throw new IllegalArgumentException("expected (N, 3, H, W) RGB, got " + rgb.getShape());
    }
    return rgb.mul(2f).subi(1f);
  }

  private static ParameterStore store(NDArray input) {
    return new ParameterStore(input.getManager(), false);
  }
}
