package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.detector.common.features.AnomalyMapResampler;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import io.vigil.detector.common.features.PatchFeatures;
import io.vigil.detector.simplenet.internal.SimpleNetNetwork.FoldedScorer;
import io.vigil.djl.graph.CompiledNetwork;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From images to anomaly maps: backbone taps, patch features, folded discriminator, then the
 * shared resampling to each image's size (upsampling, Gaussian smoothing, resizing).
 */
final class SimpleNetInference implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SimpleNetInference.class);
  private final Backbone backbone;
  private final PatchFeatureExtractor extractor;
  private final AnomalyMapResampler resampler;
  private final NDManager manager;
  private FoldedScorer scorer;
  /** Backbone, embedding and discriminator as one graph, compiled at the first scoring; null: layer by layer. */
  private CompiledNetwork compiled;
  private boolean compileTried;

  SimpleNetInference(Backbone backbone, SimpleNetParameters parameters, NDManager manager) {
    this.backbone = backbone;
    this.extractor = new PatchFeatureExtractor(backbone, parameters.taps(), parameters.inputSize(),
        new PatchFeatures(parameters.levelDimension(), parameters.embeddingDimension()));
    this.resampler = new AnomalyMapResampler(parameters.inputSize(), parameters.smoothingSigma(), manager);
    this.manager = manager;
  }

  synchronized void setScorer(FoldedScorer scorer) {
    this.scorer = scorer;
    closeCompiled();
  }

  /** Patch features (N, h, w, d) of images already resized: rgb (N, 3, S, S) in [0, 1]. */
  NDArray patchFeatures(NDArray rgb) {
    return extractor.patchFeatures(rgb);
  }

  /** Patch features of Vigil images, resized to the model input. */
  NDArray patchFeatures(NDManager scope, List<Image> images) {
    return extractor.patchFeatures(scope, images);
  }

  /** Images resized to the model input, (N, 3, S, S) on {@code scope}. */
  NDArray input(NDManager scope, List<Image> images) {
    return extractor.input(scope, images);
  }

  /** Channels-first patch features (N, d, h, w) of images already resized, layer by layer. */
  NDArray patchFeaturesChannelsFirst(NDArray rgb) {
    return extractor.patchFeaturesChannelsFirst(rgb);
  }

  /**
   * The backbone and the embedding as one compiled graph, output (N, d, h, w) channels first: what
   * training extracts features with. Empty when it does not compile. The caller closes it (its
   * static memory is a plan per batch size).
   */
  java.util.Optional<CompiledNetwork> compileEmbedding() {
    try {
      return extractor.compile(graph -> graph.output(PatchFeatureExtractor.EMBEDDING));
    } catch (RuntimeException e) {
      LOG.warn("SimpleNet extracts features layer by layer (slower): the graph did not compile: {}", e.getMessage());
      return java.util.Optional.empty();
    }
  }

  /** Anomaly maps at each image's own size. */
  synchronized List<AnomalyMap> anomalyMaps(List<Image> images) {
    if (scorer == null) {
      throw new IllegalStateException("the model has no trained discriminator");
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray rgb = extractor.input(scope, images);
      CompiledNetwork graph = compiled();
      NDArray scores;
      if (graph != null) {
        NDArray grids = graph.forward(rgb).singletonOrThrow(); // (N, 1, h, w)
        Shape shape = grids.getShape();
        scores = grids.reshape(shape.get(0), shape.get(2), shape.get(3));
      } else {
        scores = scorer.scoreMaps(extractor.patchFeaturesChannelsFirst(rgb));
      }
      Shape grid = scores.getShape();
      int n = (int) grid.get(0);
      List<AnomalyMap> maps = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Image image = images.get(i);
        maps.add(new AnomalyMap(image.width(), image.height(), resampler.toImage(scores.get(i), image.height(), image.width())));
      }
      return maps;
    }
  }

  private CompiledNetwork compiled() {
    if (!compileTried) {
      compileTried = true;
      try {
        compiled = extractor.compile(graph -> scorer.addTo(graph, PatchFeatureExtractor.EMBEDDING)).orElse(null);
        if (compiled != null) {
          LOG.info("SimpleNet scores through {}", compiled.description());
        }
      } catch (RuntimeException e) {
        LOG.warn("SimpleNet scores layer by layer (slower): its graph did not compile: {}", e.getMessage());
      }
    }
    return compiled;
  }

  private void closeCompiled() {
    if (compiled != null) {
      compiled.close();
      compiled = null;
    }
    compileTried = false;
  }

  @Override
  public synchronized void close() {
    closeCompiled();
    manager.close();
    backbone.close();
  }
}
