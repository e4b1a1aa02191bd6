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
import java.util.ArrayList;
import java.util.List;

/**
 * From images to anomaly maps: backbone taps, patch features, folded discriminator, then the
 * shared resampling to each image's size (upsampling, Gaussian smoothing, resizing).
 */
final class SimpleNetInference implements AutoCloseable {
  private final Backbone backbone;
  private final PatchFeatureExtractor extractor;
  private final AnomalyMapResampler resampler;
  private final NDManager manager;
  private FoldedScorer scorer;

  SimpleNetInference(Backbone backbone, SimpleNetParameters parameters, NDManager manager) {
    this.backbone = backbone;
    this.extractor = new PatchFeatureExtractor(backbone, parameters.taps(), parameters.inputSize(),
        new PatchFeatures(parameters.levelDimension(), parameters.embeddingDimension()));
    this.resampler = new AnomalyMapResampler(parameters.inputSize(), parameters.smoothingSigma(), manager);
    this.manager = manager;
  }

  void setScorer(FoldedScorer scorer) {
    this.scorer = scorer;
  }

  /** Patch features (N, h, w, d) of images already resized: rgb (N, 3, S, S) in [0, 1]. */
  NDArray patchFeatures(NDArray rgb) {
    return extractor.patchFeatures(rgb);
  }

  /** Patch features of Vigil images, resized to the model input. */
  NDArray patchFeatures(NDManager scope, List<Image> images) {
    return extractor.patchFeatures(scope, images);
  }

  /** Anomaly maps at each image's own size. */
  synchronized List<AnomalyMap> anomalyMaps(List<Image> images) {
    if (scorer == null) {
      throw new IllegalStateException("the model has no trained discriminator");
    }
    try (NDManager scope = manager.newSubManager()) {
      NDArray rgb = extractor.input(scope, images);
      NDArray scores = scorer.scoreMaps(extractor.patchFeaturesChannelsFirst(rgb));
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

  @Override
  public void close() {
    manager.close();
    backbone.close();
  }
}
