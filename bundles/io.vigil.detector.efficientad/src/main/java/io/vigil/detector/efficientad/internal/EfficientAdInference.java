package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.InputBatcher;
import io.vigil.detector.common.features.AnomalyMapResampler;
import java.util.ArrayList;
import java.util.List;

/**
 * From images to anomaly maps: the frozen teacher (backbone taps or the PDN distilled from them, standardised per channel), the
 * student and the autoencoder; the student-teacher and student-autoencoder maps (mean squared
 * difference over channels), normalised and combined; then the shared resampling to each image's
 * size (upsampling, Gaussian smoothing, resizing).
 */
final class EfficientAdInference implements AutoCloseable {
  private final Backbone backbone;
  private final TeacherFeatures teacherFeatures;
  private final int inputSize;
  private final EfficientAdNetworks networks;
  private final TeacherNormalization teacher;
  private final AnomalyMapResampler resampler;
  private final NDManager manager;
  private boolean closed;
  /** Frame after frame through one staging buffer. */
  private final InputBatcher batcher = new InputBatcher();
  private MapNormalization normalization;

  EfficientAdInference(Backbone backbone, TeacherFeatures teacherFeatures, EfficientAdParameters parameters,
      EfficientAdNetworks networks, TeacherNormalization teacher, NDManager manager) {
    this.backbone = backbone;
    this.teacherFeatures = teacherFeatures;
    this.inputSize = parameters.inputSize();
    this.networks = networks;
    this.teacher = teacher;
    this.resampler = new AnomalyMapResampler(parameters.inputSize(), parameters.smoothingSigma(), manager);
    this.manager = manager;
  }

  void setNormalization(MapNormalization normalization) {
    this.normalization = normalization;
  }

  /** Images resized to the model input: (N, 3, S, S) RGB in [0, 1] on {@code scope}. */
  NDArray input(NDManager scope, List<Image> images) {
    return batcher.batch(scope, images, inputSize, inputSize);
  }

  /** The raw teacher features (N, C, g, g) of resized images: the distilled PDN's, or the backbone's. */
  NDArray rawTeacher(NDArray rgb) {
    if (networks.distilledTeacher()) {
      return networks.teacher(new ParameterStore(rgb.getManager(), false), rgb, false);
    }
    return teacherFeatures.raw(rgb);
  }

  /** The standardised teacher features (N, C, g, g). */
  NDArray teacher(NDArray rgb) {
    return teacher.apply(rawTeacher(rgb));
  }

  /**
   * The raw maps of resized images: [student-teacher (N, g, g), student-autoencoder (N, g, g)],
   * each the mean squared difference over the teacher's channels.
   */
  NDList rawMaps(NDArray rgb) {
    ParameterStore store = new ParameterStore(rgb.getManager(), false);
    long c = networks.teacherChannels();
    NDArray target = teacher(rgb);
    NDArray student = networks.student(store, rgb, false);
    NDArray autoencoder = networks.autoencoder(store, rgb, false);
    NDArray st = target.sub(student.get(":, :" + c)).square().mean(new int[] {1});
    NDArray ae = autoencoder.sub(student.get(":, " + c + ":")).square().mean(new int[] {1});
    return new NDList(st, ae);
  }

  /** The combined, normalised maps (N, g, g) of resized images. */
  NDArray gridMaps(NDArray rgb) {
    if (normalization == null) {
      throw new IllegalStateException("the model's maps are not normalised yet");
    }
    NDList maps = rawMaps(rgb);
    return normalization.combine(maps.get(0), maps.get(1));
  }

  /** Anomaly maps at each image's own size. */
  synchronized List<AnomalyMap> anomalyMaps(List<Image> images) {
    if (closed) {
      throw new IllegalStateException("the model is closed");
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray grids = gridMaps(input(scope, images));
      List<AnomalyMap> maps = new ArrayList<>(images.size());
      for (int i = 0; i < images.size(); i++) {
        Image image = images.get(i);
        maps.add(new AnomalyMap(image.width(), image.height(),
            resampler.toImage(grids.get(i), image.height(), image.width())));
      }
      return maps;
    }
  }

  /** Resized grid maps (N, g, g) to (N) maps at the input size, for validation. */
  List<AnomalyMap> inputSizeMaps(NDArray grids) {
    List<AnomalyMap> maps = new ArrayList<>();
    for (int i = 0; i < grids.getShape().get(0); i++) {
      maps.add(new AnomalyMap(inputSize, inputSize, resampler.toImage(grids.get(i), inputSize, inputSize)));
    }
    return maps;
  }

  /**
   * Waits for a scoring in flight (same lock as {@link #anomalyMaps}): a station may still be
   * scoring or warming this model up on its own thread when the model is withdrawn and closed, and
   * native memory freed under a running operator crashes the JVM instead of failing the frame.
   */
  @Override
  public synchronized void close() {
    closed = true;
    manager.close();
    backbone.close();
  }
}
