package io.vigil.detector.common.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * From patch-score grids to anomaly maps at each image's own size: upsample to the model input
 * (bilinear), smooth (Gaussian, sigma at input resolution), resize to the image (bilinear). The
 * three are linear, so they are multiplied into one (H x h) and one (W x w) matrix, cached per
 * size on the manager given. Not thread safe: callers serialise their scoring.
 */
public final class AnomalyMapResampler {
  /** A station sees few image sizes; the cache stays bounded anyway. */
  private static final int CACHED_SIZES = 8;

  private final int inputSize;
  private final double smoothingSigma;
  private final NDManager manager;
  private final Map<String, NDArray[]> resamplers = new LinkedHashMap<>();

  /**
   * @param inputSize      the square size images were resized to before the backbone
   * @param smoothingSigma Gaussian sigma in input pixels; 0 for none
   * @param manager        owns the cached matrices (close it to free them)
   */
  public AnomalyMapResampler(int inputSize, double smoothingSigma, NDManager manager) {
    this.inputSize = inputSize;
    this.smoothingSigma = smoothingSigma;
    this.manager = manager;
  }

  /**
   * One (h, w) score grid to its (height, width) map, row-major. The intermediates belong to
   * {@code grid}'s manager.
   */
  public float[] toImage(NDArray grid, int height, int width) {
    long[] shape = grid.getShape().getShape();
    int h = (int) shape[shape.length - 2];
    int w = (int) shape[shape.length - 1];
    NDArray[] resampler = resampler(h, w, height, width);
    return ResamplingMatrices.apply(grid, resampler[0], resampler[1]).toFloatArray();
  }

  /** Row and column matrices from the (h, w) patch grid to an (height, width) image, cached per size. */
  private NDArray[] resampler(int h, int w, int height, int width) {
    String key = h + "x" + w + ">" + height + "x" + width;
    NDArray[] cached = resamplers.get(key);
    if (cached == null) {
      cached = new NDArray[] {ResamplingMatrices.toArray(manager, axis(h, height)),
          ResamplingMatrices.toArray(manager, axis(w, width))};
      resamplers.put(key, cached);
      if (resamplers.size() > CACHED_SIZES) {
        String eldest = resamplers.keySet().iterator().next();
        for (NDArray array : resamplers.remove(eldest)) {
          array.close();
        }
      }
    }
    return cached;
  }

  /** patch grid -> input size (bilinear) -> Gaussian smoothing -> image size (bilinear), as one matrix. */
  public float[][] axis(int cells, int imageSize) {
    float[][] upsample = ResamplingMatrices.bilinear(cells, inputSize);
    float[][] smoothed = smoothingSigma > 0
        ? ResamplingMatrices.multiply(ResamplingMatrices.gaussian(inputSize, smoothingSigma), upsample)
        : upsample;
    return ResamplingMatrices.multiply(ResamplingMatrices.bilinear(inputSize, imageSize), smoothed);
  }
}
