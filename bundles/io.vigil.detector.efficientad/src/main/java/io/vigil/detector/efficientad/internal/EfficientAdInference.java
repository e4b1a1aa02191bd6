package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.InputBatcher;
import io.vigil.detector.common.features.AnomalyMapResampler;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkGraph;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * From images to anomaly maps: the frozen teacher (backbone taps or the PDN distilled from them, standardised per channel), the
 * student and the autoencoder; the student-teacher and student-autoencoder maps (mean squared
 * difference over channels), normalised and combined; then the shared resampling to each image's
 * size (upsampling, Gaussian smoothing, resizing).
 *
 * <p>Two ways to the combined maps: layer by layer on DJL's blocks (training and validation, whose
 * networks change from step to step), and, once the networks are final ({@link #compileNetworks}),
 * all of it from the resized image to the combined map as one compiled graph (backbone taps,
 * embedding, teacher standardisation, student, autoencoder, the two maps and their normalisation).
 */
final class EfficientAdInference implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EfficientAdInference.class);
  /** The combined map's node in the compiled graph. */
  static final String MAP = "map";

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
  /** Whether the networks are final, so that scoring may run them as a compiled graph. */
  private boolean compileWanted;
  /** The whole inference as one graph for the current normalisation; null: not (yet) compiled. */
  private CompiledNetwork compiled;
  private boolean compileTried;

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

  synchronized void setNormalization(MapNormalization normalization) {
    this.normalization = normalization;
    dropCompiled(); // its weights hold the old normalisation
  }

  /**
   * The networks will not change any more (a loaded model, or training is over): from the next
   * scoring on, {@link #anomalyMaps} runs through one compiled graph, where the backbone compiles.
   */
  synchronized void compileNetworks() {
    compileNetworks(true);
  }

  /** Whether scoring may compile; false goes back to the layers (the reference path, for comparisons). */
  synchronized void compileNetworks(boolean wanted) {
    compileWanted = wanted;
    dropCompiled();
  }

  /** Whether the last scoring ran through the compiled graph. */
  synchronized boolean scoresCompiled() {
    return compiled != null;
  }

  private void dropCompiled() {
    if (compiled != null) {
      compiled.close();
      compiled = null;
    }
    compileTried = false;
  }

  /** The compiled graph, compiled at the first call; null when it is not wanted or does not compile. */
  private CompiledNetwork compiled() {
    if (!compileWanted || normalization == null) {
      return null;
    }
    if (!compileTried) {
      compileTried = true;
      try (NDManager constants = manager.newSubManager()) {
        compiled = teacherFeatures.extractor().compile(graph -> addTo(graph, constants)).orElse(null);
        if (compiled != null) {
          LOG.info("EfficientAD scores through {}", compiled.description());
        }
      } catch (RuntimeException e) {
        LOG.warn("EfficientAD scores layer by layer (slower): its graph did not compile: {}", e.getMessage());
      }
    }
    return compiled;
  }

  /**
   * The inference after the backbone's taps and embedding as graph nodes, output {@link #MAP}
   * (N, 1, g, g): what {@link #gridMaps} computes. The student's channels are [teacher's,
   * autoencoder's], so the two maps' differences are one: [teacher, autoencoder] - student,
   * squared; a 1x1 convolution then takes each half's mean over the channels, normalises it and
   * averages the two (all linear).
   *
   * @param constants holds the arrays the graph's nodes refer to until it is compiled
   */
  void addTo(NetworkGraph.Builder graph, NDManager constants) {
    String rgb = graph.inputName();
    String rawTeacher = networks.distilledTeacher()
        ? networks.addTo(graph, networks.teacher, rgb, "teacher")
        : PatchFeatureExtractor.EMBEDDING;
    int c = networks.teacherChannels();
    float[] scale = new float[c];
    float[] shift = new float[c];
    for (int i = 0; i < c; i++) {
      scale[i] = 1f / teacher.std()[i];
      shift[i] = -teacher.mean()[i] / teacher.std()[i];
    }
    graph.channelAffine("teacher_standardised", rawTeacher, scale, shift);
    String student = networks.addTo(graph, networks.student, rgb, "student");
    String autoencoder = networks.addTo(graph, networks.autoencoder, rgb, "autoencoder");
    graph.concat("targets", List.of("teacher_standardised", autoencoder));
    graph.squaredDifference("squared", "targets", student);
    MapNormalization.Linear linear = normalization.linear();
    float[] weights = new float[2 * c];
    for (int i = 0; i < c; i++) {
      weights[i] = (float) (linear.studentTeacherFactor() / c);
      weights[c + i] = (float) (linear.studentAutoencoderFactor() / c);
    }
    graph.convolution(MAP, "squared", constants.create(weights, new Shape(1, 2L * c, 1, 1)),
        constants.create(new float[] {(float) linear.offset()}, new Shape(1)), 1, new int[4], 1,
        NetworkGraph.Activation.NONE);
    graph.output(MAP);
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

  /** The student-teacher residual (N, C, g, g) of resized images: standardised teacher minus the student's first half. */
  NDArray studentTeacherResidual(NDArray rgb) {
    ParameterStore store = new ParameterStore(rgb.getManager(), false);
    return teacher(rgb).sub(networks.student(store, rgb, false).get(":, :" + networks.teacherChannels()));
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
      NDArray rgb = input(scope, images);
      CompiledNetwork graph = compiled();
      NDArray grids;
      if (graph != null) {
        NDArray map = graph.forward(rgb).singletonOrThrow(); // (N, 1, g, g)
        Shape shape = map.getShape();
        grids = map.reshape(shape.get(0), shape.get(2), shape.get(3));
      } else {
        grids = gridMaps(rgb);
      }
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
    dropCompiled();
    manager.close();
    backbone.close();
  }
}
