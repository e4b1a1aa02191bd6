package io.vigil.djl.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A frozen feed-forward network on one (N, C, H, W) input, with named outputs: 2-D convolutions,
 * sums, average pooling, linear resampling by two matrices, channel concatenation, a per-channel
 * affine map, squared differences, leaky ReLU and the distance to the nearest of a set of rows; what a
 * compiler needs to run a backbone and a detector's head (a discriminator, a nearest-neighbour
 * search) as one graph. Weights are referenced, not copied:
 * they must stay open until {@link NetworkCompiler#compile} returns.
 */
public final class NetworkGraph {
  /** The activation applied after a convolution. */
  public enum Activation { NONE, RELU, RELU6 }

  /** A node's output, by name. */
  public sealed interface Node
      permits Input, Convolution, Sum, AveragePool, LinearResize, Concat, LeakyRelu, NearestRows, ChannelAffine,
      SquaredDifference {
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
   * Average over kernel x kernel windows every {@code stride} cells, the input zero-padded by
   * {@code padding} on every side (the padding counted in the average), (in + 2 padding - kernel)
   * / stride + 1 cells out (rounded down).
   *
   * @since 1.1 (stride and padding; before: odd kernel, stride 1, padding kernel / 2)
   */
  public record AveragePool(String name, String input, int kernel, int stride, int padding) implements Node {
    /** Each cell's kernel x kernel neighbourhood (odd kernel), the same size out. */
    public AveragePool(String name, String input, int kernel) {
      this(name, input, kernel, 1, kernel / 2);
    }

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

  /**
   * (N, D, H, W) to (N, 1, H, W): each cell's Euclidean distance to the nearest row of
   * {@code rows} (K, D), a nearest-neighbour search (PatchCore's memory bank).
   */
  public record NearestRows(String name, String input, NDArray rows) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /**
   * x * scale[c] + shift[c] for each channel c, e.g. standardising features per channel or an
   * input's normalisation.
   *
   * @since 1.1
   */
  public record ChannelAffine(String name, String input, float[] scale, float[] shift) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(input);
    }
  }

  /**
   * (first - second)^2 element by element, of two nodes' outputs of the same shape; a 1x1
   * convolution after it sums or averages it over the channels.
   *
   * @since 1.1
   */
  public record SquaredDifference(String name, String first, String second) implements Node {
    @Override
    public List<String> inputs() {
      return List.of(first, second);
    }
  }

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

    /** Average pooling of kernel x kernel windows every {@code stride} cells, zero padding counted. */
    public Builder averagePool(String name, String from, int kernel, int stride, int padding) {
      requireNode(from);
      if (kernel < 1 || stride < 1 || padding < 0 || padding >= kernel) {
        throw new IllegalArgumentException(name + ": bad pooling kernel " + kernel + ", stride " + stride
            + ", padding " + padding);
      }
      return add(new AveragePool(name, from, kernel, stride, padding));
    }

    /** x * scale[c] + shift[c] per channel; both arrays as long as the input has channels. */
    public Builder channelAffine(String name, String from, float[] scale, float[] shift) {
      requireNode(from);
      if (scale.length == 0 || scale.length != shift.length) {
        throw new IllegalArgumentException(name + ": one scale and one shift per channel, got " + scale.length
            + " and " + shift.length);
      }
      return add(new ChannelAffine(name, from, scale.clone(), shift.clone()));
    }

    /** (first - second)^2, element by element. */
    public Builder squaredDifference(String name, String first, String second) {
      requireNode(first);
      requireNode(second);
      return add(new SquaredDifference(name, first, second));
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

    public Builder nearestRows(String name, String from, NDArray rows) {
      requireNode(from);
      if (rows.getShape().dimension() != 2) {
        throw new IllegalArgumentException(name + ": rows must be (K, D), got " + rows.getShape());
      }
      return add(new NearestRows(name, from, rows));
    }

    /**
     * The input node's name: a head that reads the network's input (not only its taps) starts there.
     *
     * @since 1.1
     */
    public String inputName() {
      return input.name();
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
