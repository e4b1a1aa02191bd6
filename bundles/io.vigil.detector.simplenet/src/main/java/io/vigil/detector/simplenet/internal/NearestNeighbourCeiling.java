package io.vigil.detector.simplenet.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The diagnostic ceiling of an embedding: each patch scored by its Euclidean distance to the
 * nearest of a random sample of training patches (PatchCore without coreset). If SimpleNet's
 * discriminator lands far below this score of its own embedding, the discriminator is the
 * problem; if both are low, the embedding is. Distances are blocked matrix products on the
 * engine, {@code |q|^2 + |b|^2 - 2 q.b}.
 */
final class NearestNeighbourCeiling {
  /** Queries per block: a block's distance matrix is QUERY_BLOCK x bank floats. */
  private static final int QUERY_BLOCK = 2048;

  private final NDArray bank; // (n, d)
  private final NDArray bankTransposed; // (d, n)
  private final NDArray bankSquares; // (1, n)

  /** @param bank training patches (n, d) in the embedding being judged; kept, not copied */
  NearestNeighbourCeiling(NDArray bank) {
    this.bank = bank;
    this.bankTransposed = bank.transpose();
    this.bankSquares = bank.square().sum(new int[] {1}).expandDims(0);
  }

  /** Distance of each query row (m, d) to its nearest bank row: (m), on the queries' manager. */
  NDArray distances(NDArray queries) {
    NDManager manager = queries.getManager();
    long m = queries.getShape().get(0);
    NDList blocks = new NDList();
    for (long start = 0; start < m; start += QUERY_BLOCK) {
      try (NDManager scope = manager.newSubManager()) {
        NDArray q = queries.get(start + ":" + Math.min(m, start + QUERY_BLOCK));
        q.attach(scope);
        NDArray squares = q.square().sum(new int[] {1}, true); // (b, 1)
        NDArray products = q.matMul(bankTransposed); // (b, n)
        NDArray nearest = squares.add(bankSquares).sub(products.mul(2)).min(new int[] {1});
        NDArray distance = nearest.maximum(0f).sqrt();
        distance.attach(manager);
        blocks.add(distance);
      }
    }
    NDArray all = blocks.size() == 1 ? blocks.get(0) : NDArrays.concat(blocks, 0);
    if (blocks.size() > 1) {
      blocks.close();
    }
    return all;
  }

  /** Score grids (N, H, W) of channels-last features (N, H, W, d). */
  NDArray scoreGrids(NDArray features) {
    Shape shape = features.getShape();
    return distances(features.reshape(-1, shape.get(3))).reshape(shape.get(0), shape.get(1), shape.get(2));
  }
}
