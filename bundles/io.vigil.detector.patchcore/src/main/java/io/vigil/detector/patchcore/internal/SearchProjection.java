package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.djl.graph.NetworkGraph;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.commons.math3.linear.EigenDecomposition;
import org.apache.commons.math3.linear.RealMatrix;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;

/**
 * The search's projection (issue 12): the first principal components of the fit's kept patch
 * features, applied to the bank and to every query, so the nearest-entry search runs in fewer
 * dimensions. The components are orthonormal, so distances in the projection are the distances
 * of the features' parts along the directions where the good patches vary most (with every
 * component kept, the same distances); no centring is needed, as a distance does not change when
 * both points move by the same mean.
 */
final class SearchProjection {
  private static final int FILE_MAGIC = 0x5647_4b50; // "VGKP"
  private static final int FILE_VERSION = 1;

  private final float[] components; // (outputs, inputs) row-major, one component per row
  private final int inputs;
  private final int outputs;
  private final double keptVariance;

  SearchProjection(float[] components, int inputs, int outputs, double keptVariance) {
    if (components.length != inputs * outputs || outputs < 1 || outputs > inputs) {
      throw new IllegalArgumentException(components.length + " values are not " + outputs + " components of " + inputs);
    }
    this.components = components.clone();
    this.inputs = inputs;
    this.outputs = outputs;
    this.keptVariance = keptVariance;
  }

  /**
   * The first {@code dimension} principal components of {@code rows} ((count, inputs) row-major):
   * the eigenvectors of their covariance with the largest eigenvalues (Commons Math's symmetric
   * eigendecomposition), each signed so that its largest entry is positive (a stable choice).
   */
  static SearchProjection fit(float[] rows, int inputs, int dimension) {
    int count = rows.length / inputs;
    if (count * inputs != rows.length || count < 2) {
      throw new IllegalArgumentException("principal components need at least 2 rows of " + inputs + " values");
    }
    if (dimension < 1 || dimension > inputs) {
      throw new IllegalArgumentException("search.dimension must be in [1, " + inputs + "]: " + dimension);
    }
    double[] mean = new double[inputs];
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < inputs; c++) {
        mean[c] += rows[r * inputs + c];
      }
    }
    for (int c = 0; c < inputs; c++) {
      mean[c] /= count;
    }
    // The upper triangle of the scatter matrix, accumulated in double.
    double[][] scatter = new double[inputs][inputs];
    double[] centred = new double[inputs];
    for (int r = 0; r < count; r++) {
      for (int c = 0; c < inputs; c++) {
        centred[c] = rows[r * inputs + c] - mean[c];
      }
      for (int i = 0; i < inputs; i++) {
        double ci = centred[i];
        double[] row = scatter[i];
        for (int j = i; j < inputs; j++) {
          row[j] += ci * centred[j];
        }
      }
    }
    for (int i = 0; i < inputs; i++) {
      for (int j = i; j < inputs; j++) {
        scatter[i][j] /= count - 1;
        scatter[j][i] = scatter[i][j];
      }
    }
    EigenDecomposition eigen = new EigenDecomposition(new Array2DRowRealMatrix(scatter, false));
    double[] values = eigen.getRealEigenvalues();
    Integer[] order = new Integer[inputs];
    for (int i = 0; i < inputs; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(values[b], values[a]));
    RealMatrix vectors = eigen.getV(); // eigenvectors as columns
    float[] components = new float[dimension * inputs];
    double total = 0;
    double kept = 0;
    for (int i = 0; i < inputs; i++) {
      total += Math.max(0, values[order[i]]);
    }
    for (int k = 0; k < dimension; k++) {
      int column = order[k];
      kept += Math.max(0, values[column]);
      int largest = 0;
      for (int c = 1; c < inputs; c++) {
        if (Math.abs(vectors.getEntry(c, column)) > Math.abs(vectors.getEntry(largest, column))) {
          largest = c;
        }
      }
      double sign = vectors.getEntry(largest, column) < 0 ? -1 : 1;
      for (int c = 0; c < inputs; c++) {
        components[k * inputs + c] = (float) (sign * vectors.getEntry(c, column));
      }
    }
    return new SearchProjection(components, inputs, dimension, total > 0 ? kept / total : 1);
  }

  int inputs() {
    return inputs;
  }

  int outputs() {
    return outputs;
  }

  /** Share of the fit rows' variance the components keep (1 with all of them). */
  double keptVariance() {
    return keptVariance;
  }

  /** The components, (outputs, inputs) row-major. */
  float[] components() {
    return components.clone();
  }

  /** {@code rows} (M, inputs) projected, (M, outputs), on the rows' manager. */
  NDArray apply(NDArray rows) {
    if (rows.getShape().get(1) != inputs) {
      throw new IllegalArgumentException("rows have " + rows.getShape().get(1) + " features, the projection " + inputs);
    }
    // Nothing but the result is left on the rows' manager (a fit's manager lives as long as its model).
    try (NDArray matrix = rows.getManager().create(components, new Shape(outputs, inputs));
        NDArray transposed = matrix.transpose()) {
      return rows.matMul(transposed);
    }
  }

  /**
   * The projection added to a compiled graph after node {@code input} (N, inputs, h, w): a 1x1
   * convolution without bias to {@code output} (N, outputs, h, w). Its weights are made on
   * {@code manager}, which must stay open until the graph is compiled (the compiler copies them).
   */
  void addTo(NetworkGraph.Builder graph, String input, String output, NDManager manager) {
    NDArray weight = manager.create(components, new Shape(outputs, inputs, 1, 1));
    NDArray bias = manager.zeros(new Shape(outputs));
    graph.convolution(output, input, weight, bias, 1, new int[4], 1, NetworkGraph.Activation.NONE);
  }

  /** Multiply-adds per patch. */
  long multiplyAddsPerRow() {
    return (long) inputs * outputs;
  }

  /** Writes the components: magic, version, outputs, inputs, then the values as little-endian float32. */
  void write(DataOutputStream out) throws IOException {
    out.writeInt(FILE_MAGIC);
    out.writeInt(FILE_VERSION);
    out.writeInt(outputs);
    out.writeInt(inputs);
    out.writeDouble(keptVariance);
    ByteBuffer little = ByteBuffer.allocate(components.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    little.asFloatBuffer().put(components);
    out.write(little.array());
  }

  /** Reads what {@link #write} wrote. */
  static SearchProjection read(DataInputStream in) throws IOException {
    if (in.readInt() != FILE_MAGIC) {
      throw new IOException("not a Vigil search projection file");
    }
    int version = in.readInt();
    if (version != FILE_VERSION) {
      throw new IOException("search projection file version " + version + "; this Vigil reads " + FILE_VERSION);
    }
    int outputs = in.readInt();
    int inputs = in.readInt();
    double keptVariance = in.readDouble();
    if (outputs < 1 || inputs < outputs || inputs > 1 << 16) {
      throw new IOException("bad search projection header: " + outputs + " x " + inputs);
    }
    byte[] raw = new byte[outputs * inputs * Float.BYTES];
    in.readFully(raw);
    float[] components = new float[outputs * inputs];
    ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(components);
    return new SearchProjection(components, inputs, outputs, keptVariance);
  }
}
