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
import io.vigil.djl.graph.NetworkGraph.Concat;
import io.vigil.djl.graph.NetworkGraph.LeakyRelu;
import io.vigil.djl.graph.NetworkGraph.LinearResize;
import io.vigil.djl.graph.NetworkGraph.Sum;
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
        attrs.addProperty("stride", tuple(1, 1));
        attrs.addProperty("pad", tuple(pool.kernel() / 2, pool.kernel() / 2));
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

  /** The graph's weights and constant matrices by argument name, float32 copies on {@code manager}. */
  static Map<String, NDArray> weights(NetworkGraph graph, NDManager manager) {
    Map<String, NDArray> weights = new LinkedHashMap<>();
    for (Node node : graph.nodes()) {
      if (node instanceof Convolution conv) {
        weights.put(conv.name() + "_weight", copy(conv.weight(), manager));
        weights.put(conv.name() + "_bias", copy(conv.bias(), manager));
      } else if (node instanceof LinearResize resize) {
        weights.put(resize.name() + "_columns_t", transposed(resize.columns(), manager));
        weights.put(resize.name() + "_rows_t", transposed(resize.rows(), manager));
      }
    }
    return weights;
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
   * -> (N, C, W, H) -> swap back: the resampling as two matrix products on the engine.
   */
  private static int linearResize(Builder json, LinearResize resize, int input) {
    String name = resize.name();
    int columns = json.argument(name + "_columns_t");
    int rows = json.argument(name + "_rows_t");
    int wide = json.op("dot", name + "_columns", new JsonObject(), input, columns);
    JsonObject swap = new JsonObject();
    swap.addProperty("dim1", "2");
    swap.addProperty("dim2", "3");
    int swapped = json.op("SwapAxis", name + "_swap", swap, wide);
    int tall = json.op("dot", name + "_rows", new JsonObject(), swapped, rows);
    return json.op("SwapAxis", name, swap.deepCopy(), tall);
  }

  private static NDArray copy(NDArray array, NDManager manager) {
    return manager.create(array.toType(DataType.FLOAT32, false).toFloatArray(), array.getShape());
  }

  private static int convolution(Builder json, Convolution conv, int input) {
    int[] p = conv.padding();
    int from = input;
    int padH = p[0];
    int padW = p[2];
    if (!conv.symmetricPadding()) {
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
    attrs.addProperty("kernel", tuple((int) conv.kernel().get(0), (int) conv.kernel().get(1)));
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
