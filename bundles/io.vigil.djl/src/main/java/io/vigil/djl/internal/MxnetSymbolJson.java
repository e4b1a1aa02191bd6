package io.vigil.djl.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.vigil.djl.graph.NetworkGraph;
import io.vigil.djl.graph.NetworkGraph.Convolution;
import io.vigil.djl.graph.NetworkGraph.Node;
import io.vigil.djl.graph.NetworkGraph.AveragePool;
import io.vigil.djl.graph.NetworkGraph.NearestRows;
import io.vigil.djl.graph.NetworkGraph.Concat;
import io.vigil.djl.graph.NetworkGraph.LeakyRelu;
import io.vigil.djl.graph.NetworkGraph.LinearResize;
import io.vigil.djl.graph.NetworkGraph.Sum;
import io.vigil.djl.graph.NetworkGraph.ChannelAffine;
import io.vigil.djl.graph.NetworkGraph.SquaredDifference;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes a {@link NetworkGraph} as MXNet symbol JSON (the "-symbol.json" format: nodes in
 * order, each input as [node, output, version], argument nodes listed apart). Weights become
 * argument nodes named "{layer}_weight" and "{layer}_bias".
 */
final class MxnetSymbolJson {
  private MxnetSymbolJson() {}

  static String write(NetworkGraph graph) {
    Builder json = new Builder();
    Map<String, Integer> index = new HashMap<>();
    java.util.Set<String> negated = negatedConvolutions(graph);
    for (Node node : graph.nodes()) {
      if (node instanceof NetworkGraph.Input input) {
        index.put(input.name(), json.argument(input.name()));
      } else if (node instanceof Convolution conv) {
        index.put(conv.name(), convolution(json, conv, index.get(conv.input())));
      } else if (node instanceof Sum sum) {
        index.put(sum.name(), json.op("elemwise_add", sum.name(), new JsonObject(),
            index.get(sum.first()), index.get(sum.second())));
      } else if (node instanceof AveragePool pool) {
        JsonObject attrs = new JsonObject();
        attrs.addProperty("kernel", tuple(pool.kernel(), pool.kernel()));
        attrs.addProperty("stride", tuple(pool.stride(), pool.stride()));
        attrs.addProperty("pad", tuple(pool.padding(), pool.padding()));
        attrs.addProperty("pool_type", "avg");
        attrs.addProperty("count_include_pad", "True");
        attrs.addProperty("pooling_convention", "valid");
        index.put(pool.name(), json.op("Pooling", pool.name(), attrs, index.get(pool.input())));
      } else if (node instanceof LinearResize resize) {
        index.put(resize.name(), linearResize(json, resize, index.get(resize.input())));
      } else if (node instanceof Concat concat) {
        JsonObject attrs = new JsonObject();
        attrs.addProperty("dim", "1");
        attrs.addProperty("num_args", Integer.toString(concat.inputs().size()));
        int[] inputs = concat.inputs().stream().mapToInt(index::get).toArray();
        index.put(concat.name(), json.op("Concat", concat.name(), attrs, inputs));
      } else if (node instanceof NearestRows nearest) {
        index.put(nearest.name(), nearestRows(json, nearest, index.get(nearest.input())));
      } else if (node instanceof ChannelAffine affine) {
        // A depthwise 1x1 convolution: one oneDNN primitive in its blocked layout (MXNet's
        // broadcast_mul and broadcast_add were two passes that reorder to the plain layout).
        JsonObject attrs = new JsonObject();
        attrs.addProperty("kernel", tuple(1, 1));
        attrs.addProperty("num_filter", Integer.toString(affine.scale().length));
        attrs.addProperty("num_group", Integer.toString(affine.scale().length));
        attrs.addProperty("no_bias", "False");
        attrs.addProperty("layout", "NCHW");
        index.put(affine.name(), json.op("Convolution", affine.name(), attrs, index.get(affine.input()),
            json.argument(affine.name() + "_weight"), json.argument(affine.name() + "_bias")));
      } else if (node instanceof SquaredDifference squared) {
        int difference;
        if (negated.contains(squared.second())) {
          // second's convolution puts out -second: first + (-second), which oneDNN fuses into the
          // convolution as its sum (as MobileNetV2's residual sums), exactly first - second.
          difference = json.op("elemwise_add", squared.name() + "_difference", new JsonObject(),
              index.get(squared.second()), index.get(squared.first()));
        } else {
          difference = json.op("elemwise_sub", squared.name() + "_difference", new JsonObject(),
              index.get(squared.first()), index.get(squared.second()));
        }
        index.put(squared.name(), json.op("square", squared.name(), new JsonObject(), difference));
      } else if (node instanceof LeakyRelu leaky) {
        JsonObject attrs = new JsonObject();
        attrs.addProperty("act_type", "leaky");
        attrs.addProperty("slope", Float.toString(leaky.slope()));
        index.put(leaky.name(), json.op("LeakyReLU", leaky.name(), attrs, index.get(leaky.input())));
      }
    }
    for (String output : graph.outputs()) {
      json.head(index.get(output));
    }
    return json.toJson();
  }

  /**
   * Convolutions without activation that only a {@link SquaredDifference} reads, as its second:
   * lowered with negated weights and bias, so that the difference is a sum oneDNN fuses into them.
   */
  static java.util.Set<String> negatedConvolutions(NetworkGraph graph) {
    Map<String, Integer> readers = new HashMap<>();
    for (Node node : graph.nodes()) {
      node.inputs().forEach(input -> readers.merge(input, 1, Integer::sum));
    }
    Map<String, Node> byName = new HashMap<>();
    graph.nodes().forEach(node -> byName.put(node.name(), node));
    java.util.Set<String> negated = new java.util.HashSet<>();
    for (Node node : graph.nodes()) {
      if (node instanceof SquaredDifference squared && !squared.first().equals(squared.second())
          && byName.get(squared.second()) instanceof Convolution conv
          && conv.activation() == NetworkGraph.Activation.NONE
          && readers.getOrDefault(conv.name(), 0) == 1 && !graph.outputs().contains(conv.name())) {
        negated.add(conv.name());
      }
    }
    return negated;
  }

  /** The graph's weights and constant matrices by argument name, float32 copies on {@code manager}. */
  static Map<String, NDArray> weights(NetworkGraph graph, NDManager manager) {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    java.util.Set<String> negated = negatedConvolutions(graph);
    for (Node node : graph.nodes()) {
      if (node instanceof Convolution conv) {
        Shifted shifted = Shifted.of(conv);
        NDArray weight = shifted.any() ? shifted.weight(conv.weight(), manager) : copy(conv.weight(), manager);
        NDArray bias = copy(conv.bias(), manager);
        if (negated.contains(conv.name())) {
          weight.negi();
          bias.negi();
        }
        weights.put(conv.name() + "_weight", weight);
        weights.put(conv.name() + "_bias", bias);
      } else if (node instanceof NearestRows nearest) {
        // Per chunk, -2 B as the dense layer's weight, |b|^2 as its bias; the last chunk is filled
        // up with copies of the last row (the minimum stays); nothing left on the rows' manager.
        float[] rows = nearest.rows().toType(DataType.FLOAT32, false).toFloatArray();
        int k = (int) nearest.rows().getShape().get(0);
        int d = (int) nearest.rows().getShape().get(1);
        int chunks = chunks(k);
        int width = chunkWidth(k);
        for (int chunk = 0; chunk < chunks; chunk++) {
          float[] weight = new float[width * d];
          float[] squares = new float[width];
          for (int i = 0; i < width; i++) {
            int r = Math.min(k - 1, chunk * width + i);
            double sum = 0;
            for (int c = 0; c < d; c++) {
              float v = rows[r * d + c];
              weight[i * d + c] = -2f * v;
              sum += (double) v * v;
            }
            squares[i] = (float) sum;
          }
          weights.put(nearest.name() + "_weight" + chunk, manager.create(weight, new ai.djl.ndarray.types.Shape(width, d)));
          weights.put(nearest.name() + "_bias" + chunk, manager.create(squares, new ai.djl.ndarray.types.Shape(width)));
        }
        float[] ones = new float[d];
        java.util.Arrays.fill(ones, 1f);
        weights.put(nearest.name() + "_ones", manager.create(ones, new ai.djl.ndarray.types.Shape(1, d, 1, 1)));
      } else if (node instanceof ChannelAffine affine) {
        int channels = affine.scale().length;
        weights.put(affine.name() + "_weight",
            manager.create(affine.scale(), new ai.djl.ndarray.types.Shape(channels, 1, 1, 1)));
        weights.put(affine.name() + "_bias", manager.create(affine.shift(), new ai.djl.ndarray.types.Shape(channels)));
      } else if (node instanceof LinearResize resize) {
        weights.put(resize.name() + "_columns_t", transposed(resize.columns(), manager));
        weights.put(resize.name() + "_rows_t", transposed(resize.rows(), manager));
      }
    }
    return weights;
  }

  /**
   * Fewest rows per chunk: a small set of rows is searched cheaply anyway, and each split adds
   * a dense layer call and an elementwise minimum (a chosen bound, not a measured optimum).
   */
  static final int CHUNK_ROWS = 1024;
  private static final int MAX_CHUNKS = 4;

  /** Chunks the rows are split into: up to four, each at least {@link #CHUNK_ROWS} rows. */
  static int chunks(int rows) {
    return Math.max(1, Math.min(MAX_CHUNKS, rows / CHUNK_ROWS));
  }

  /** Rows per chunk, all chunks the same (the last one filled up). */
  static int chunkWidth(int rows) {
    int chunks = chunks(rows);
    return (rows + chunks - 1) / chunks;
  }

  /**
   * sqrt(max(0, |a|^2 + min_k (|b_k|^2 - 2 a.b_k))) per cell: channels last, per chunk of rows one
   * fully connected layer over the cells (a matrix product the BLAS runs at its rate; as a 1x1
   * convolution with thousands of outputs oneDNN ran it at a fraction of that), the chunks' products
   * reduced pairwise by elementwise minima, then the smallest over the rows of one chunk by topk
   * (k 1): MXNet's min reduction over the last axis took more CPU time than the product itself,
   * topk about half the product's and (in the operator profile) an elementwise minimum less per
   * value than topk, so the fewer values topk sees the better (NearestRowsBenchmark prints the
   * split). Back to channels first (a reshape), plus the cell's own sum of squares (a 1x1
   * convolution with weights 1).
   */
  private static int nearestRows(Builder json, NearestRows nearest, int input) {
    String name = nearest.name();
    int k = (int) nearest.rows().getShape().get(0);
    JsonObject last = new JsonObject();
    last.addProperty("axes", tuple(0, 2, 3, 1));
    int cells = json.op("transpose", name + "_channels_last", last, input);
    java.util.List<Integer> partial = new java.util.ArrayList<>();
    for (int chunk = 0; chunk < chunks(k); chunk++) {
      int weight = json.argument(name + "_weight" + chunk);
      int bias = json.argument(name + "_bias" + chunk);
      JsonObject dense = new JsonObject();
      dense.addProperty("num_hidden", Integer.toString(chunkWidth(k)));
      dense.addProperty("flatten", "False");
      dense.addProperty("no_bias", "False");
      partial.add(json.op("FullyConnected", name + "_products" + chunk, dense, cells, weight, bias));
    }
    for (int level = 0; partial.size() > 1; level++) {
      java.util.List<Integer> next = new java.util.ArrayList<>();
      for (int i = 0; i + 1 < partial.size(); i += 2) {
        next.add(json.op("_minimum", name + "_minimum" + level + "_" + i, new JsonObject(),
            partial.get(i), partial.get(i + 1)));
      }
      if (partial.size() % 2 == 1) {
        next.add(partial.get(partial.size() - 1));
      }
      partial = next;
    }
    JsonObject smallest = new JsonObject();
    smallest.addProperty("axis", "-1");
    smallest.addProperty("k", "1");
    smallest.addProperty("ret_typ", "value");
    smallest.addProperty("is_ascend", "True");
    int nearestProduct = json.op("topk", name + "_min", smallest, partial.get(0));
    int squares = json.op("square", name + "_square", new JsonObject(), input);
    // The sum over the channels as a 1x1 convolution with weights 1: MXNet's sum reduction over
    // axis 1 took 3% of PatchCore's graph, oneDNN's convolution a fraction of that.
    JsonObject sum = new JsonObject();
    sum.addProperty("kernel", tuple(1, 1));
    sum.addProperty("num_filter", "1");
    sum.addProperty("no_bias", "True");
    sum.addProperty("layout", "NCHW");
    int norms = json.op("Convolution", name + "_norms", sum, squares, json.argument(name + "_ones"));
    // (N, h, w, 1) holds the cells in the order of (N, 1, h, w): a reshape, no transpose.
    int minimum = json.op("reshape_like", name + "_channels_first", new JsonObject(), nearestProduct, norms);
    int squared = json.op("elemwise_add", name + "_squared", new JsonObject(), minimum, norms);
    JsonObject relu = new JsonObject();
    relu.addProperty("act_type", "relu");
    int clamped = json.op("Activation", name + "_clamp", relu, squared);
    return json.op("sqrt", name, new JsonObject(), clamped);
  }

  /** (out, in) as an (in, out) array: what dot(x, m) needs to contract x's last axis. */
  private static NDArray transposed(float[][] matrix, NDManager manager) {
    int out = matrix.length;
    int in = matrix[0].length;
    float[] flat = new float[in * out];
    for (int o = 0; o < out; o++) {
      for (int i = 0; i < in; i++) {
        flat[i * out + o] = matrix[o][i];
      }
    }
    return manager.create(flat, new ai.djl.ndarray.types.Shape(in, out));
  }

  /**
   * (N, C, h, w) -> dot with columns^T -> (N, C, h, W) -> swap the last axes -> dot with rows^T
   * -> (N, C, W, H) -> swap back: the resampling as two matrix products on the engine. The swaps
   * are transposes (oneDNN reorders; MXNet's SwapAxis copied element by element, in the profile
   * as slow as the products).
   */
  private static int linearResize(Builder json, LinearResize resize, int input) {
    String name = resize.name();
    int columns = json.argument(name + "_columns_t");
    int rows = json.argument(name + "_rows_t");
    int wide = json.op("dot", name + "_columns", new JsonObject(), input, columns);
    JsonObject swap = new JsonObject();
    swap.addProperty("axes", tuple(0, 1, 3, 2));
    int swapped = json.op("transpose", name + "_swap", swap, wide);
    int tall = json.op("dot", name + "_rows", new JsonObject(), swapped, rows);
    return json.op("transpose", name, swap.deepCopy(), tall);
  }

  private static NDArray copy(NDArray array, NDManager manager) {
    return manager.create(array.toType(DataType.FLOAT32, false).toFloatArray(), array.getShape());
  }

  private static int convolution(Builder json, Convolution conv, int input) {
    int[] p = conv.padding();
    int from = input;
    int padH = p[0];
    int padW = p[2];
    Shifted shifted = Shifted.of(conv);
    if (shifted.any()) {
      padH = p[1];
      padW = p[3];
    } else if (!conv.symmetricPadding()) {
      // MXNet's convolution pads symmetrically; TensorFlow's SAME puts the odd row/column after.
      JsonObject attrs = new JsonObject();
      attrs.addProperty("mode", "constant");
      attrs.addProperty("constant_value", "0");
      attrs.addProperty("pad_width", tuple(0, 0, 0, 0, p[0], p[1], p[2], p[3]));
      from = json.op("Pad", conv.name() + "_pad", attrs, input);
      padH = 0;
      padW = 0;
    }
    int weight = json.argument(conv.name() + "_weight");
    int bias = json.argument(conv.name() + "_bias");
    JsonObject attrs = new JsonObject();
    attrs.addProperty("kernel", tuple((int) conv.kernel().get(0) + (shifted.rows() ? 1 : 0),
        (int) conv.kernel().get(1) + (shifted.columns() ? 1 : 0)));
    attrs.addProperty("stride", tuple(conv.stride(), conv.stride()));
    attrs.addProperty("pad", tuple(padH, padW));
    attrs.addProperty("dilate", tuple(1, 1));
    attrs.addProperty("num_filter", Integer.toString(conv.outChannels()));
    attrs.addProperty("num_group", Integer.toString(conv.groups()));
    attrs.addProperty("no_bias", "False");
    attrs.addProperty("layout", "NCHW");
    int out = json.op("Convolution", conv.name(), attrs, from, weight, bias);
    return switch (conv.activation()) {
      case NONE -> out;
      case RELU -> {
        JsonObject relu = new JsonObject();
        relu.addProperty("act_type", "relu");
        yield json.op("Activation", conv.name() + "_relu", relu, out);
      }
      case RELU6 -> {
        JsonObject clip = new JsonObject();
        clip.addProperty("a_min", "0");
        clip.addProperty("a_max", "6");
        yield json.op("clip", conv.name() + "_relu6", clip, out);
      }
    };
  }

  /**
   * TensorFlow's SAME padding puts the odd row (column) after: padding (b, b + 1). MXNet pads
   * symmetrically, and a Pad operator before the convolution copies the tensor and breaks oneDNN's
   * fusion. The same result: symmetric padding b + 1 and a kernel one larger with a leading zero
   * row (column), which moves every window one step down (right), as (b, b + 1) does; the output
   * size is the same. The lowering, not the graph, knows this trick.
   */
  private record Shifted(boolean rows, boolean columns) {
    static Shifted of(Convolution conv) {
      int[] p = conv.padding();
      boolean rows = p[1] == p[0] + 1;
      boolean columns = p[3] == p[2] + 1;
      // Only when each axis is symmetric or shiftable; otherwise the Pad operator does it.
      if ((rows || p[0] == p[1]) && (columns || p[2] == p[3])) {
        return new Shifted(rows, columns);
      }
      return new Shifted(false, false);
    }

    boolean any() {
      return rows || columns;
    }

    /** (out, in, kh, kw) -> (out, in, kh + r, kw + c) with the original in the bottom-right corner. */
    NDArray weight(NDArray original, NDManager manager) {
      long[] shape = original.getShape().getShape();
      int outIn = (int) (shape[0] * shape[1]);
      int kh = (int) shape[2];
      int kw = (int) shape[3];
      int nh = kh + (rows ? 1 : 0);
      int nw = kw + (columns ? 1 : 0);
      float[] from = original.toType(DataType.FLOAT32, false).toFloatArray();
      float[] to = new float[outIn * nh * nw];
      for (int f = 0; f < outIn; f++) {
        for (int y = 0; y < kh; y++) {
          for (int x = 0; x < kw; x++) {
            to[(f * nh + y + nh - kh) * nw + x + nw - kw] = from[(f * kh + y) * kw + x];
          }
        }
      }
      return manager.create(to, new ai.djl.ndarray.types.Shape(shape[0], shape[1], nh, nw));
    }
  }

  private static String tuple(int... values) {
    StringBuilder text = new StringBuilder("(");
    for (int i = 0; i < values.length; i++) {
      text.append(i == 0 ? "" : ", ").append(values[i]);
    }
    return text.append(')').toString();
  }

  private static final class Builder {
    private final JsonArray nodes = new JsonArray();
    private final JsonArray arguments = new JsonArray();
    private final JsonArray heads = new JsonArray();

    int argument(String name) {
      JsonObject node = new JsonObject();
      node.addProperty("op", "null");
      node.addProperty("name", name);
      node.add("inputs", new JsonArray());
      arguments.add(nodes.size());
      nodes.add(node);
      return nodes.size() - 1;
    }

    int op(String op, String name, JsonObject attrs, int... inputs) {
      JsonObject node = new JsonObject();
      node.addProperty("op", op);
      node.addProperty("name", name);
      node.add("attrs", attrs);
      JsonArray in = new JsonArray();
      for (int input : inputs) {
        in.add(entry(input));
      }
      node.add("inputs", in);
      nodes.add(node);
      return nodes.size() - 1;
    }

    void head(int node) {
      heads.add(entry(node));
    }

    private static JsonArray entry(int node) {
      JsonArray entry = new JsonArray();
      entry.add(node);
      entry.add(0);
      entry.add(0);
      return entry;
    }

    String toJson() {
      JsonObject symbol = new JsonObject();
      symbol.add("nodes", nodes);
      symbol.add("arg_nodes", arguments);
      JsonArray rowPointers = new JsonArray();
      for (int i = 0; i <= nodes.size(); i++) {
        rowPointers.add(i);
      }
      symbol.add("node_row_ptr", rowPointers);
      symbol.add("heads", heads);
      JsonObject attrs = new JsonObject();
      JsonArray version = new JsonArray();
      version.add("int");
      version.add(10900);
      attrs.add("mxnet_version", version);
      symbol.add("attrs", attrs);
      return symbol.toString();
    }
  }
}
