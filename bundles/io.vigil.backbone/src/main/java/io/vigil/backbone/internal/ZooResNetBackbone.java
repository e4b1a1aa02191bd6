package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.training.ParameterStore;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.Tap;
import java.util.List;

/**
 * A model zoo ResNet: ImageNet classification only. A symbolic model's inner layers are not
 * reachable through DJL's engine-neutral API, so it offers no feature taps.
 */
final class ZooResNetBackbone implements Backbone {
  private static final float[] MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] STD = {0.229f, 0.224f, 0.225f};

  private final String name;
  private final ZooModel<NDList, NDList> model;
  private final List<String> labels;

  ZooResNetBackbone(String name, ZooModel<NDList, NDList> model, List<String> labels) {
    this.name = name;
    this.model = model;
    this.labels = List.copyOf(labels);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String weightsSha256() {
    return "";
  }

  @Override
  public List<Tap> taps() {
    return List.of();
  }

  @Override
  public List<String> defaultTaps() {
    return List.of();
  }

  @Override
  public int nativeInputSize() {
    return 224;
  }

  @Override
  public NDList features(NDArray rgb, List<String> taps) {
    throw new UnsupportedOperationException(name + " from the model zoo offers no feature taps; use mobilenet_v2");
  }

  /** Gluon's ImageNet ResNets take per-channel standardised RGB. */
  @Override
  public synchronized NDArray classProbabilities(NDArray rgb) {
    NDArray mean = rgb.getManager().create(MEAN).reshape(1, 3, 1, 1);
    NDArray std = rgb.getManager().create(STD).reshape(1, 3, 1, 1);
    NDArray input = rgb.sub(mean).div(std);
    NDArray logits = model.getBlock().forward(new ParameterStore(rgb.getManager(), false), new NDList(input), false)
        .singletonOrThrow();
    return logits.reshape(logits.getShape().get(0), -1).softmax(1);
  }

  @Override
  public List<String> classLabels() {
    return labels;
  }

  @Override
  public void close() {
    model.close();
  }
}
