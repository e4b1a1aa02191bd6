package io.vigil.djl.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen feed-forward network of 2-D convolutions and additions on one (N, C, H, W) input, with
 * named outputs: what a compiler needs to run it as one graph. Weights are referenced, not copied:
 * they must stay open until {@link NetworkCompiler#compile} returns.
 */
public final class NetworkGraph {
  /** The activation applied after a convolution. */
  public enum Activation { NONE, RELU, RELU6 }

  /** A node's output, by name. */
  public sealed interface Node permits Input, Convolution, Sum {
    String name();
  }

  /** The network's input (N, channels, H, W). */
  public record Input(String name, int channels) implements Node {}

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
  }

  /** Element-wise sum of two nodes' outputs of the same shape. */
  public record Sum(String name, String first, String second) implements Node {}

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
        Node node = byName.get(name);
        if (node instanceof Convolution c) {
          open.add(c.input());
        } else if (node instanceof Sum s) {
          open.add(s.first());
          open.add(s.second());
        }
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
