package io.vigil.detector.common.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import io.vigil.djl.graph.NetworkGraph;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.List;

/**
 * Locally aware patch features from backbone feature maps (SimpleNet's and PatchCore's): each level's 3x3 neighbourhood
 * (stride 1, zero padding 1) pooled to a fixed per-level dimension, coarser levels resized
 * bilinearly to the finest grid, the levels concatenated and pooled to the embedding dimension.
 * Pooling is PyTorch's adaptive_avg_pool1d over the flattened (channel, 3, 3) vector, exactly as
 * the reference code pools; it is linear, like the resize, so pooling before resizing the coarse
 * level gives the same numbers for less work.
 */
public final class PatchFeatures {
  /** As a dimension: no channel pooling, every channel of every level is kept. */
  public static final int KEEP = 0;

  private final int perLevelDimension;
  private final int embeddingDimension;

  /**
   * @param perLevelDimension  each level's neighbourhood is pooled to this many values; a level's
   *     channel count, or {@link #KEEP}, keeps every channel (a plain 3x3 average)
   * @param embeddingDimension the concatenated levels are pooled to this many values; their total
   *     channel count, or {@link #KEEP}, keeps every value
   */
  public PatchFeatures(int perLevelDimension, int embeddingDimension) {
    this.perLevelDimension = perLevelDimension;
    this.embeddingDimension = embeddingDimension;
  }

  /**
   * The embedding's dimension for levels of these channel counts: what {@link #embed} returns as
   * its last axis.
   */
  public int dimension(List<Integer> levelChannels) {
    if (embeddingDimension != KEEP) {
      return embeddingDimension;
    }
    int total = 0;
    for (int channels : levelChannels) {
      total += perLevelDimension == KEEP ? channels : perLevelDimension;
    }
    return total;
  }

  public int perLevelDimension() {
    return perLevelDimension;
  }

  public int embeddingDimension() {
    return embeddingDimension;
  }

  /**
   * @param levels feature maps (N, C_l, H_l, W_l), finest first
   * @return patch features (N, H_0, W_0, embeddingDimension), one row per patch
   */
  public NDArray embed(NDList levels) {
    return embedChannelsFirst(levels).transpose(0, 2, 3, 1);
  }

  /** The same features channels first, (N, embeddingDimension, H_0, W_0): no transpose needed to score them. */
  public NDArray embedChannelsFirst(NDList levels) {
    Shape finest = levels.get(0).getShape();
    int height = (int) finest.get(2);
    int width = (int) finest.get(3);
    List<NDArray> pooled = new ArrayList<>();
    for (NDArray level : levels) {
      NDArray neighbourhoods = neighbourhoodPool(level); // (N, D, h, w)
      pooled.add(ResamplingMatrices.resizeBilinear(neighbourhoods, height, width)); // (N, D, H, W)
    }
    // Per patch the levels' vectors follow each other, (L, D) flattened: concatenate channels.
    NDArray stacked = pooled.size() == 1 ? pooled.get(0) : NDArrays.concat(new NDList(pooled), 1);
    long channels = stacked.getShape().get(1);
    if (embeddingDimension == KEEP || channels == embeddingDimension) {
      return stacked;
    }
    if (channels % embeddingDimension == 0) {
      // Uniform windows of k neighbouring channels: the mean of k strided channel slices.
      int k = (int) (channels / embeddingDimension);
      NDArray sum = stacked.get(":, 0::" + k);
      for (int offset = 1; offset < k; offset++) {
        sum = sum.add(stacked.get(":, " + offset + "::" + k));
      }
      return sum.div(k);
    }
    return adaptiveAveragePool(stacked.transpose(0, 2, 3, 1), embeddingDimension).transpose(0, 3, 1, 2);
  }

  /**
   * Adds this embedding to a compiled graph, as {@link #embedChannelsFirst} computes it: each
   * level's 3x3 neighbourhood average, the coarser levels resized bilinearly to the finest grid,
   * the levels' channels concatenated, into node {@code name} (N, D, H_0, W_0).
   *
   * @param levelNodes  the graph's node of each level, finest first
   * @param levelShapes {channels, height, width} of each level for the graph's input size
   * @throws IllegalArgumentException when the levels' channels are not {@link #hasGraphForm}
   */
  public void addTo(NetworkGraph.Builder graph, List<String> levelNodes, List<int[]> levelShapes, String name) {
    if (!hasGraphForm(levelShapes.stream().map(shape -> shape[0]).toList())) {
      throw new IllegalArgumentException("channel pooling has no graph form");
    }
    int height = levelShapes.get(0)[1];
    int width = levelShapes.get(0)[2];
    List<String> levels = new ArrayList<>();
    for (int l = 0; l < levelNodes.size(); l++) {
      int[] shape = levelShapes.get(l);
      String pooled = name + "_level" + l + "_pooled";
      graph.averagePool(pooled, levelNodes.get(l), 3);
      if (shape[1] != height || shape[2] != width) {
        String resized = name + "_level" + l + "_resized";
        graph.linearResize(resized, pooled,
            ResamplingMatrices.bilinear(shape[1], height), ResamplingMatrices.bilinear(shape[2], width));
        pooled = resized;
      }
      levels.add(pooled);
    }
    graph.concat(name, levels); // of one level: the level itself, under the name asked
  }

  /** Whether {@link #addTo} can express this embedding: no channel pooling, only averages and concatenation. */
  public boolean hasGraphForm(List<Integer> levelChannels) {
    int total = 0;
    for (int channels : levelChannels) {
      if (perLevelDimension != KEEP && perLevelDimension != channels) {
        return false;
      }
      total += channels;
    }
    return embeddingDimension == KEEP || embeddingDimension == total;
  }

  /** (N, C, H, W) to (N, D, H, W): each cell's zero-padded 3x3 neighbourhood, flattened (c, ky, kx), pooled to D. */
  public NDArray neighbourhoodPool(NDArray level) {
    Shape shape = level.getShape();
    long channels = shape.get(1);
    if (perLevelDimension == KEEP || channels == perLevelDimension) {
      // Each output averages one channel's whole neighbourhood: a 3x3 average pool.
      return Pool.avgPool2d(level, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false, true);
    }
    if (channels * 3 == perLevelDimension) {
      // Each output averages one neighbourhood row (c, ky, kx = 0..2): a 1x3 average pool, then
      // the rows above, at and below each cell, channel-major.
      NDArray rows = Pool.avgPool2d(level, new Shape(1, 3), new Shape(1, 1), new Shape(0, 1), false, true);
      return neighbourRows(rows);
    }
    NDArray unfolded = unfold3x3(level); // (N, C * 9, H, W)
    return adaptiveAveragePool(unfolded.transpose(0, 2, 3, 1), perLevelDimension).transpose(0, 3, 1, 2);
  }

  /** (N, C, H, W) to (N, C * 9, H, W), channel-major like PyTorch's unfold with padding 1. */
  public static NDArray unfold3x3(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    NDArray zerosRow = x.getManager().zeros(new Shape(n, c, 1, w), x.getDataType());
    NDArray padded = NDArrays.concat(new NDList(zerosRow, x, zerosRow), 2);
    NDArray zerosColumn = x.getManager().zeros(new Shape(n, c, h + 2, 1), x.getDataType());
    padded = NDArrays.concat(new NDList(zerosColumn, padded, zerosColumn), 3);
    NDList shifted = new NDList(9);
    for (int ky = 0; ky < 3; ky++) {
      for (int kx = 0; kx < 3; kx++) {
        shifted.add(padded.get(":, :, " + ky + ":" + (ky + h) + ", " + kx + ":" + (kx + w)));
      }
    }
    return NDArrays.stack(shifted, 2).reshape(n, c * 9, h, w);
  }

  /** (N, C, H, W) to (N, C * 3, H, W): for each channel the zero-padded rows y - 1, y, y + 1. */
  public static NDArray neighbourRows(NDArray x) {
    Shape s = x.getShape();
    long n = s.get(0);
    long c = s.get(1);
    long h = s.get(2);
    long w = s.get(3);
    NDArray zerosRow = x.getManager().zeros(new Shape(n, c, 1, w), x.getDataType());
    NDArray padded = NDArrays.concat(new NDList(zerosRow, x, zerosRow), 2);
    NDList shifted = new NDList(3);
    for (int ky = 0; ky < 3; ky++) {
      shifted.add(padded.get(":, :, " + ky + ":" + (ky + h) + ", :"));
    }
    return NDArrays.stack(shifted, 2).reshape(n, c * 3, h, w);
  }

  /** PyTorch's adaptive_avg_pool1d over the last axis: output i averages [floor(i L / D), ceil((i + 1) L / D)). */
  public static NDArray adaptiveAveragePool(NDArray x, int outputs) {
    Shape shape = x.getShape();
    int inputs = (int) shape.get(shape.dimension() - 1);
    if (inputs == outputs) {
      return x;
    }
    if (inputs % outputs == 0) {
      long[] grouped = new long[shape.dimension() + 1];
      for (int d = 0; d < shape.dimension() - 1; d++) {
        grouped[d] = shape.get(d);
      }
      grouped[shape.dimension() - 1] = outputs;
      grouped[shape.dimension()] = inputs / outputs;
      return x.reshape(new Shape(grouped)).mean(new int[] {shape.dimension()});
    }
    float[] weights = new float[inputs * outputs];
    for (int o = 0; o < outputs; o++) {
      int start = (int) Math.floor((double) o * inputs / outputs);
      int end = (int) Math.ceil((double) (o + 1) * inputs / outputs);
      for (int i = start; i < end; i++) {
        weights[i * outputs + o] = 1f / (end - start);
      }
    }
    return x.matMul(x.getManager().create(weights, new Shape(inputs, outputs)));
  }
}
