package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.ImageTensors;
import io.vigil.detector.simplenet.internal.SimpleNetNetwork.FoldedScorer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * From images to anomaly maps: backbone taps, patch features, folded discriminator, then one
 * linear map per axis that upsamples the patch scores to the input size (bilinear), smooths them
 * (Gaussian, sigma at input resolution) and resizes to the image's own size (bilinear). The three
 * resamplings are linear, so they are multiplied into one (H x h) and one (W x w) matrix.
 */
final class SimpleNetInference implements AutoCloseable {
  private final Backbone backbone;
  private final SimpleNetParameters parameters;
  private final PatchFeatures patchFeatures;
  private final NDManager manager;
  private final Map<String, NDArray[]> resamplers = new LinkedHashMap<>();
  private FoldedScorer scorer;

  SimpleNetInference(Backbone backbone, SimpleNetParameters parameters, NDManager manager) {
    this.backbone = backbone;
    this.parameters = parameters;
    this.patchFeatures = new PatchFeatures(parameters.levelDimension(), parameters.embeddingDimension());
    this.manager = manager;
  }

  void setScorer(FoldedScorer scorer) {
    this.scorer = scorer;
  }

  /** Patch features (N, h, w, d) of images already resized: rgb (N, 3, S, S) in [0, 1]. */
  NDArray patchFeatures(NDArray rgb) {
    NDList levels = backbone.features(rgb, parameters.taps());
    return patchFeatures.embed(levels);
  }

  /** Patch features of Vigil images, resized to the model input. */
  NDArray patchFeatures(NDManager scope, List<Image> images) {
    int size = parameters.inputSize();
    return patchFeatures(ImageTensors.batch(scope, images, size, size));
  }

  /** Anomaly maps at each image's own size. */
  synchronized List<AnomalyMap> anomalyMaps(List<Image> images) {
    if (scorer == null) {
      throw new IllegalStateException("the model has no trained discriminator");
    }
    try (NDManager scope = manager.newSubManager()) {
      int size = parameters.inputSize();
      NDArray rgb = ImageTensors.batch(scope, images, size, size);
      NDArray scores = scorer.scoreMaps(patchFeatures.embedChannelsFirst(backbone.features(rgb, parameters.taps())));
      Shape grid = scores.getShape();
      int n = (int) grid.get(0);
      int h = (int) grid.get(1);
      int w = (int) grid.get(2);
      List<AnomalyMap> maps = new ArrayList<>(n);
      for (int i = 0; i < n; i++) {
        Image image = images.get(i);
        NDArray[] resampler = resampler(h, w, image.height(), image.width());
        float[] values = ResamplingMatrices.apply(scores.get(i), resampler[0], resampler[1]).toFloatArray();
        maps.add(new AnomalyMap(image.width(), image.height(), values));
      }
      return maps;
    }
  }

  /** Row and column matrices from the (h, w) patch grid to an (height, width) image, cached per size. */
  private NDArray[] resampler(int h, int w, int height, int width) {
    String key = h + "x" + w + ">" + height + "x" + width;
    NDArray[] cached = resamplers.get(key);
    if (cached == null) {
      cached = new NDArray[] {axis(h, height), axis(w, width)};
      resamplers.put(key, cached);
      if (resamplers.size() > 8) { // a station sees few image sizes; keep memory bounded anyway
        String eldest = resamplers.keySet().iterator().next();
        for (NDArray array : resamplers.remove(eldest)) {
          array.close();
        }
      }
    }
    return cached;
  }

  /** patch grid -> input size (bilinear) -> Gaussian smoothing -> image size (bilinear), as one matrix. */
  private NDArray axis(int cells, int imageSize) {
    int input = parameters.inputSize();
    float[][] combined = multiply(
        ResamplingMatrices.bilinear(input, imageSize),
        parameters.smoothingSigma() > 0
            ? multiply(ResamplingMatrices.gaussian(input, parameters.smoothingSigma()),
                ResamplingMatrices.bilinear(cells, input))
            : ResamplingMatrices.bilinear(cells, input));
    return ResamplingMatrices.toArray(manager, combined);
  }

  static float[][] multiply(float[][] a, float[][] b) {
    int rows = a.length;
    int inner = b.length;
    int columns = b[0].length;
    float[][] product = new float[rows][columns];
    for (int r = 0; r < rows; r++) {
      for (int k = 0; k < inner; k++) {
        float factor = a[r][k];
        if (factor != 0) {
          for (int c = 0; c < columns; c++) {
            product[r][c] += factor * b[k][c];
          }
        }
      }
    }
    return product;
  }

  @Override
  public void close() {
    manager.close();
    backbone.close();
  }
}
