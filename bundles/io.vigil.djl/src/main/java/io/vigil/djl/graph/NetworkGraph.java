package io.vigil.djl.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen feed-forward network on one (N, C, H, W) input, with named outputs: 2-D convolutions,
 * sums, 3x3-style average pooling, linear resampling by two matrices, channel concatenation and
 * leaky ReLU; what a compiler needs to run a backbone and a detector's head as one graph. Weights are referenced, not copied:
 * they must stay open until {@link NetworkCompiler#compile} returns.
 */
public final class NetworkGraph {
  /** The activation applied after a convolution. */
  public enum Activation { NONE, RELU, RELU6 }

  /** A node's output, by name. */
  public sealed interface Node permits Input, Convolution, Sum, AveragePool, LinearResize, Concat, LeakyRelu {
    String name();

    /** The nodes this one reads. */
    List<String> inputs();
  }

  /** The network's input (N, channels, H, W). */
  public record Input(String name, int channels) implements Node {
    @Override
    public List<String> inputs() {
      return List.of();
    }
  }

  /**
   * A 2-D convolution: weight (out, in / groups, kh, kw), bias (out), equal strides, zero padding
   * {top, bottom, left, right} (may be asymmetric, as TensorFlow's SAME is), then the activation.
   */
  public record Convolution(
      String name, String input, NDArray weight, NDArray bias, int stride, int[] padding, int groups,
      Activation activation) implements Node {

    public int outChannels() {
      return (int) weight.getShape().get(0);
    }

    public Shape kernel() {
      return new Shape(weight.getShape().get(2), weight.getShape().get(3));
    }

    public boolean symmetricPadding() {
      return padding[0] == padding[1] && padding[2] == padding[3];
    }

    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /** Element-wise sum of two nodes' outputs of the same shape. */
  public record Sum(String name, String first, String second) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(first, second);
    }
  }

  /**
   * Average over each cell's kernel x kernel neighbourhood (odd kernel, stride 1, zero padding
   * counted in the average), the same size out.
   */
  public record AveragePool(String name, String input, int kernel) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /**
   * Linear resampling of (N, C, h, w) to (N, C, H, W): {@code rows} (H x h) on the rows and
   * {@code columns} (W x w) on the columns, e.g. bilinear resizing.
   */
  public record LinearResize(String name, String input, float[][] rows, float[][] columns) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /** The inputs' channels one after the other (same N, H, W). */
  public record Concat(String name, List<String> inputs) implements Node {}

  /** max(x, slope * x). */
  public record LeakyRelu(String name, String input, float slope) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  private final Input input;
  private final List<Node> nodes;
  private final List<String> outputs;

  private NetworkGraph(Input input, List<Node> nodes, List<String> outputs) {
    this.input = input;
    this.nodes = List.copyOf(nodes);
    this.outputs = List.copyOf(outputs);
  }

  public Input input() {
    return input;
  }

  /** All nodes in evaluation order, the input first. */
  public List<Node> nodes() {
    return nodes;
  }

  /** The names of the nodes whose outputs a run returns, in this order. */
  public List<String> outputs() {
    return outputs;
  }

  /** A graph with the same nodes that returns other outputs; nodes nothing needs are left out. */
  public NetworkGraph withOutputs(List<String> wanted) {
    Map<String, Node> byName = new LinkedHashMap<>();
    nodes.forEach(node -> byName.put(node.name(), node));
    java.util.Set<String> needed = new java.util.HashSet<>();
    java.util.ArrayDeque<String> open = new java.util.ArrayDeque<>();
    for (String name : wanted) {
      if (!byName.containsKey(name)) {
        throw new IllegalArgumentException("the graph has no node '" + name + "'");
      }
      open.add(name);
    }
    while (!open.isEmpty()) {
      String name = open.pop();
      if (needed.add(name)) {
        open.addAll(byName.get(name).inputs());
      }
    }
    List<Node> kept = new ArrayList<>();
    for (Node node : nodes) {
      if (needed.contains(node.name()) || node == input) {
        kept.add(node);
      }
    }
    return new NetworkGraph(input, kept, wanted);
  }

  public static Builder builder(String inputName, int inputChannels) {
    return new Builder(new Input(inputName, inputChannels));
  }

  /** Adds nodes in evaluation order; every input must name a node added before. */
  public static final class Builder {
    private final Input input;
    private final Map<String, Node> nodes = new LinkedHashMap<>();
    private final List<String> outputs = new ArrayList<>();

    private Builder(Input input) {
      this.input = input;
      nodes.put(input.name(), input);
    }

    public Builder convolution(
        String name, String from, NDArray weight, NDArray bias, int stride, int[] padding, int groups,
        Activation activation) {
      requireNode(from);
      if (weight.getShape().dimension() != 4 || bias.getShape().dimension() != 1
          || bias.getShape().get(0) != weight.getShape().get(0)) {
        throw new IllegalArgumentException(name + ": weight must be (out, in, kh, kw) and bias (out), got "
            + weight.getShape() + " and " + bias.getShape());
      }
      if (padding.length != 4) {
        throw new IllegalArgumentException(name + ": padding is {top, bottom, left, right}");
      }
      return add(new Convolution(name, from, weight, bias, stride, padding.clone(), groups, activation));
    }

    public Builder sum(String name, String first, String second) {
      requireNode(first);
      requireNode(second);
      return add(new Sum(name, first, second));
    }

    public Builder averagePool(String name, String from, int kernel) {
      requireNode(from);
      if (kernel < 1 || kernel % 2 == 0) {
        throw new IllegalArgumentException(name + ": the pooling kernel must be odd, got " + kernel);
      }
      return add(new AveragePool(name, from, kernel));
    }

    public Builder linearResize(String name, String from, float[][] rows, float[][] columns) {
      requireNode(from);
      return add(new LinearResize(name, from, rows, columns));
    }

    public Builder concat(String name, List<String> from) {
      from.forEach(this::requireNode);
      if (from.isEmpty()) {
        throw new IllegalArgumentException(name + ": nothing to concatenate");
      }
      return add(new Concat(name, List.copyOf(from)));
    }

    public Builder leakyRelu(String name, String from, float slope) {
      requireNode(from);
      return add(new LeakyRelu(name, from, slope));
    }

    /** Whether a node of this name was added. */
    public boolean has(String name) {
      return nodes.containsKey(name);
    }

    public Builder output(String name) {
      requireNode(name);
      outputs.add(name);
      return this;
    }

    public NetworkGraph build() {
      if (outputs.isEmpty()) {
        throw new IllegalStateException("a graph needs at least one output");
      }
      return new NetworkGraph(input, new ArrayList<>(nodes.values()), outputs);
    }

    private Builder add(Node node) {
      if (nodes.putIfAbsent(node.name(), node) != null) {
        throw new IllegalArgumentException("two nodes named '" + node.name() + "'");
      }
      return this;
    }

    private void requireNode(String name) {
      if (!nodes.containsKey(name)) {
        throw new IllegalArgumentException("no node '" + name + "' before this one");
      }
    }
  }
}
