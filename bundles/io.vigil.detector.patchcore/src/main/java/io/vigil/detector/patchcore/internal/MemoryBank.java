package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.vigil.djl.graph.NetworkGraph;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * PatchCore's memory bank: the coreset's patch features, and the nearest entry to each query
 * patch. Distances are blocked engine matrix products: {@code |q - b|^2 = |q|^2 + |b|^2 - 2 q.b},
 * a block of bank rows at a time, so memory stays at (queries x block) whatever the bank size.
 * Each block is stored as the (D + 1, rows) matrix {@code [-2 B^T; |b|^2]} and the queries get a
 * column of ones, so one product gives {@code |b|^2 - 2 q.b} and only a row minimum follows;
 * {@code |q|^2} is the same for every entry and is added after the minimum.
 */
final class MemoryBank implements AutoCloseable {
  /** Bank rows per block: a batch of 8 images at 28x28 patches makes 6272 x 2048 distances (51 MB). */
  static final int DEFAULT_BLOCK_ROWS = 2048;
  private static final int FILE_MAGIC = 0x56474b42; // "VGKB"
  private static final int FILE_VERSION = 1;

  private final NDManager manager;
  private final NDArray bank;
  private final int size;
  private final int dimension;
  private final NDList blocks = new NDList(); // (D + 1, rows of the block): [-2 B^T; |b|^2]
  private final int blockRows;
  private volatile float[] rows; // the bank in the heap, made when re-weighting first needs it

  /** Takes over {@code bank} (K, D) float32: it is moved to {@code manager}, which the bank closes. */
  MemoryBank(NDArray bank, NDManager manager, int blockRows) {
    this.manager = manager;
    bank.attach(manager);
    this.bank = bank;
    this.size = (int) bank.getShape().get(0);
    this.dimension = (int) bank.getShape().get(1);
    this.blockRows = blockRows;
    try (NDManager scope = manager.newSubManager()) {
      NDArray working = bank.duplicate();
      working.attach(scope);
      NDArray norms = working.square().sum(new int[] {1}, true); // (K, 1)
      NDArray augmented = NDArrays.concat(new NDList(working.mul(-2f), norms), 1); // (K, D + 1)
      for (int start = 0; start < size; start += blockRows) {
        int end = Math.min(size, start + blockRows);
        NDArray block = augmented.get(start + ":" + end).transpose().duplicate();
        block.attach(manager);
        blocks.add(block);
      }
    }
  }

  int size() {
    return size;
  }

  int dimension() {
    return dimension;
  }

  /** The bank (K, D), owned by the bank: do not close. */
  NDArray array() {
    return bank;
  }

  /**
   * The nearest-entry search added to a compiled graph after node {@code input} (N, D, h, w):
   * output {@code output} (N, 1, h, w), the distance to the nearest entry, by the same formula as
   * {@link #nearest} (|a|^2 + |b|^2 - 2 a.b). The graph copies the bank when compiled.
   */
  void addTo(NetworkGraph.Builder graph, String input, String output) {
    graph.nearestRows(output, input, bank).output(output);
  }

  /** Squared distance to the nearest entry and its index (null when not asked for), for each query row. */
  record Nearest(NDArray squaredDistances, NDArray indices) {}

  /**
   * @param queries     (M, D) float32; the results (M) and (M) int64 belong to its manager, and so
   *     do the intermediates until each block is done with them
   * @param withIndices whether the nearest entries' indices are needed, not only the distances
   */
  Nearest nearest(NDArray queries, boolean withIndices) {
    if (queries.getShape().get(1) != dimension) {
      throw new IllegalArgumentException("queries have " + queries.getShape().get(1) + " features, the bank " + dimension);
    }
    NDArray ones = queries.getManager().ones(new Shape(queries.getShape().get(0), 1));
    NDArray augmented = NDArrays.concat(new NDList(queries, ones), 1); // (M, D + 1)
    ones.close();
    NDArray best = null;
    NDArray bestIndex = null;
    for (int block = 0; block < blocks.size(); block++) {
      NDArray partial = augmented.matMul(blocks.get(block)); // |b|^2 - 2 q.b, (M, rows)
      NDArray blockBest = partial.min(new int[] {1});
      NDArray blockArg = null;
      if (withIndices) {
        blockArg = partial.argMin(1);
        if (block > 0) {
          NDArray offset = blockArg.add((long) block * blockRows);
          blockArg.close();
          blockArg = offset;
        }
      }
      partial.close();
      if (best == null) {
        best = blockBest;
        bestIndex = blockArg;
      } else {
        if (withIndices) {
          NDArray closer = blockBest.lt(best);
          NDArray index = NDArrays.where(closer, blockArg, bestIndex);
          closer.close();
          blockArg.close();
          bestIndex.close();
          bestIndex = index;
        }
        NDArray distance = NDArrays.minimum(best, blockBest);
        best.close();
        blockBest.close();
        best = distance;
      }
    }
    augmented.close();
    NDArray queryNorms = queries.square().sum(new int[] {1});
    NDArray squared = best.add(queryNorms);
    best.close();
    queryNorms.close();
    // Rounding of the expansion can go slightly below zero for a query on a bank entry.
    NDArray clamped = squared.maximum(0f);
    squared.close();
    return new Nearest(clamped, bestIndex);
  }

  /**
   * PatchCore's re-weighting of an image score (Roth et al., eq. 7): the score s* of the test
   * patch nearest to bank entry m* is scaled by {@code 1 - softmax} of the patch's distances to
   * m* and m*'s {@code neighbours - 1} nearest bank entries. A patch whose nearest entry lies in a
   * sparse region of the bank (rare in the good images) keeps more of its score than one whose
   * nearest entry is among many close alternatives.
   *
   * @param patch     the test patch's features (D)
   * @param nearest   index of its nearest bank entry
   * @param distance  its distance to that entry (the unweighted score)
   */
  double reweight(float[] patch, int nearest, double distance, int neighbours) {
    if (neighbours < 2 || size < 2) {
      return distance; // no neighbourhood to weigh against
    }
    float[] all = heapRows();
    int[] support = nearestEntries(all, nearest, Math.min(neighbours, size));
    double[] distances = new double[support.length];
    double max = Double.NEGATIVE_INFINITY;
    for (int j = 0; j < support.length; j++) {
      distances[j] = j == 0 ? distance : Math.sqrt(squaredDistance(patch, all, support[j]));
      max = Math.max(max, distances[j]);
    }
    double sum = 0;
    for (double d : distances) {
      sum += Math.exp(d - max);
    }
    return (1 - Math.exp(distances[0] - max) / sum) * distance;
  }

  /** Entry {@code entry} itself, then its nearest other entries, {@code count} in all. */
  private int[] nearestEntries(float[] all, int entry, int count) {
    int[] found = new int[count];
    double[] foundDistance = new double[count];
    found[0] = entry;
    int filled = 1;
    for (int other = 0; other < size; other++) {
      if (other == entry || count == 1) {
        continue;
      }
      double d = squaredDistance(all, entry * dimension, all, other);
      if (filled < count || d < foundDistance[count - 1]) {
        int at = Math.min(filled, count - 1);
        while (at > 1 && foundDistance[at - 1] > d) { // insertion into the sorted tail
          found[at] = found[at - 1];
          foundDistance[at] = foundDistance[at - 1];
          at--;
        }
        found[at] = other;
        foundDistance[at] = d;
        filled = Math.min(count, filled + 1);
      }
    }
    return filled == count ? found : java.util.Arrays.copyOf(found, filled);
  }

  private double squaredDistance(float[] patch, float[] all, int entry) {
    return squaredDistance(patch, 0, all, entry);
  }

  private double squaredDistance(float[] a, int aOffset, float[] all, int entry) {
    int offset = entry * dimension;
    double sum = 0;
    for (int i = 0; i < dimension; i++) {
      double d = a[aOffset + i] - all[offset + i];
      sum += d * d;
    }
    return sum;
  }

  private float[] heapRows() {
    float[] copy = rows;
    if (copy == null) {
      synchronized (this) {
        copy = rows;
        if (copy == null) {
          copy = bank.toFloatArray();
          rows = copy;
        }
      }
    }
    return copy;
  }

  /** Storage precision of the bank file. */
  enum Precision {
    FLOAT32(DataType.FLOAT32, 4),
    FLOAT16(DataType.FLOAT16, 2);

    final DataType type;
    final int bytes;

    Precision(DataType type, int bytes) {
      this.type = type;
      this.bytes = bytes;
    }

    static Precision of(String name) {
      return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "float32", "fp32" -> FLOAT32;
        case "float16", "fp16", "half" -> FLOAT16;
        default -> throw new IllegalArgumentException("bank.precision must be float16 or float32: " + name);
      };
    }

    @Override
    public String toString() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  /** Writes the bank: a header (magic, version, rows, columns, bytes per value), then the values little-endian. */
  void write(DataOutputStream out, Precision precision) throws IOException {
    out.writeInt(FILE_MAGIC);
    out.writeInt(FILE_VERSION);
    out.writeInt(size);
    out.writeInt(dimension);
    out.writeInt(precision.bytes);
    try (NDArray stored = bank.toType(precision.type, true)) {
      ByteBuffer native_ = stored.toByteBuffer().order(ByteOrder.nativeOrder());
      ByteBuffer little = ByteBuffer.allocate(native_.remaining()).order(ByteOrder.LITTLE_ENDIAN);
      if (precision == Precision.FLOAT16) {
        little.asShortBuffer().put(native_.asShortBuffer());
      } else {
        little.asFloatBuffer().put(native_.asFloatBuffer());
      }
      out.write(little.array());
    }
  }

  /** Reads a bank written by {@link #write}, as float32 on {@code manager} (which the bank then closes). */
  static MemoryBank read(DataInputStream in, NDManager manager, int blockRows) throws IOException {
    if (in.readInt() != FILE_MAGIC) {
      throw new IOException("not a Vigil memory bank file");
    }
    int version = in.readInt();
    if (version != FILE_VERSION) {
      throw new IOException("memory bank file version " + version + "; this Vigil reads " + FILE_VERSION);
    }
    int rows = in.readInt();
    int columns = in.readInt();
    int bytes = in.readInt();
    if (rows < 1 || columns < 1 || (bytes != 2 && bytes != 4)) {
      throw new IOException("bad memory bank header: " + rows + " x " + columns + ", " + bytes + " bytes per value");
    }
    byte[] raw = new byte[Math.multiplyExact(Math.multiplyExact(rows, columns), bytes)];
    in.readFully(raw);
    ByteBuffer little = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
    ByteBuffer native_ = ByteBuffer.allocateDirect(raw.length).order(ByteOrder.nativeOrder());
    if (bytes == 2) {
      native_.asShortBuffer().put(little.asShortBuffer());
    } else {
      native_.asFloatBuffer().put(little.asFloatBuffer());
    }
    DataType type = bytes == 2 ? DataType.FLOAT16 : DataType.FLOAT32;
    NDArray stored = manager.create(native_, new Shape(rows, columns), type);
    NDArray bank = bytes == 2 ? stored.toType(DataType.FLOAT32, true) : stored;
    if (bank != stored) {
      stored.close();
    }
    return new MemoryBank(bank, manager, blockRows);
  }

  @Override
  public void close() {
    manager.close();
  }
}
