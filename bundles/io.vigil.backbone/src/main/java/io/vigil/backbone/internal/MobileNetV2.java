package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.vigil.backbone.Tap;
import io.vigil.backbone.internal.SameConv2d.Fused;
import io.vigil.backbone.internal.TfLiteModel.Operator;
import io.vigil.backbone.internal.TfLiteModel.Tensor;
import io.vigil.djl.graph.NetworkGraph;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * MobileNetV2 (Sandler et al., 2018) as DJL blocks, rebuilt from a TFLite file: stem convolution,
 * inverted residual blocks, 1x1 head convolution, global average pool, 1x1 classifier. Weights are
 * dequantised to float. Block numbers follow Keras' MobileNetV2 (block_0 .. block_16).
 */
final class MobileNetV2 extends AbstractBlock {
  static final String STEM = "stem";
  static final String HEAD = "head";

  private final SameConv2d stem;
  private final List<InvertedResidual> blocks;
  private final SameConv2d head;
  private final SameConv2d classifier;
  private final Map<String, Tap> taps;
  private final Map<String, Integer> tapBlock;

  private MobileNetV2(SameConv2d stem, List<InvertedResidual> blocks, SameConv2d head, SameConv2d classifier) {
    this.stem = addChildBlock(STEM, stem);
    this.blocks = new ArrayList<>();
    for (int k = 0; k < blocks.size(); k++) {
      this.blocks.add(addChildBlock("block_" + k, blocks.get(k)));
    }
    this.head = addChildBlock(HEAD, head);
    this.classifier = addChildBlock("classifier", classifier);
    this.taps = new LinkedHashMap<>();
    this.tapBlock = new HashMap<>();
    int stride = stem.stride();
    addTap(STEM, stem.outChannels(), stride, -1);
    for (int k = 0; k < blocks.size(); k++) {
      InvertedResidual block = blocks.get(k);
      if (block.hasExpansion()) {
        addTap("block_" + k + "_expand", block.expandedChannels(), stride, k);
      }
      stride *= block.stride();
      addTap("block_" + k + "_depthwise", block.expandedChannels(), stride, k);
      addTap("block_" + k + "_output", block.outChannels(), stride, k);
    }
    addTap(HEAD, head.outChannels(), stride, blocks.size());
  }

  private void addTap(String name, int channels, int stride, int block) {
    taps.put(name, new Tap(name, channels, stride));
    tapBlock.put(name, block);
  }

  Map<String, Tap> taps() {
    return taps;
  }

  int classes() {
    return classifier.outChannels();
  }

  /** The last block {@link #run} computes for these taps (-1: the stem only). */
  private int lastBlock(Set<String> wanted, boolean logits) {
    int lastBlock = logits ? blocks.size() : -1;
    for (String name : wanted) {
      Integer block = tapBlock.get(name);
      if (block == null) {
        throw new IllegalArgumentException("MobileNetV2 has no tap '" + name + "'; taps: " + taps.keySet());
      }
      lastBlock = Math.max(lastBlock, block);
    }
    return lastBlock;
  }

  /** Operations of the convolutions {@link #run} computes for these taps on one height x width image. */
  long flops(Set<String> wanted, long height, long width) {
    int lastBlock = lastBlock(wanted, false);
    long flops = stem.flops(height, width);
    long h = stem.outputSize(height);
    long w = stem.outputSize(width);
    for (int k = 0; k < blocks.size() && k <= lastBlock; k++) {
      flops += blocks.get(k).flops(h, w);
      int stride = blocks.get(k).stride();
      h = (h + stride - 1) / stride;
      w = (w + stride - 1) / stride;
    }
    if (lastBlock >= blocks.size()) {
      flops += head.flops(h, w);
    }
    return flops;
  }

  /**
   * The layers the wanted taps need, as a graph for an input of height x width whose outputs are
   * the taps in the order asked (input node "data": normalised RGB as for {@link #run}).
   */
  NetworkGraph graph(List<String> wanted, long height, long width) {
    NetworkGraph.Builder graph = layers(wanted, height, width);
    wanted.forEach(graph::output);
    return graph.build();
  }

  /** The layers the wanted taps need, each tap a node of its name; no outputs yet. */
  NetworkGraph.Builder layers(List<String> wanted, long height, long width) {
    return layers(NetworkGraph.builder("data", 3), wanted, height, width);
  }

  /**
   * The same layers after the input's normalisation (x * 2 - 1, node "data"): the graph's input
   * "rgb" is RGB in [0, 1], so that a head can read the image itself too.
   */
  NetworkGraph.Builder layersFromRgb(List<String> wanted, long height, long width) {
    NetworkGraph.Builder graph = NetworkGraph.builder("rgb", 3)
        .channelAffine("data", "rgb", new float[] {2f, 2f, 2f}, new float[] {-1f, -1f, -1f});
    return layers(graph, wanted, height, width);
  }

  private NetworkGraph.Builder layers(NetworkGraph.Builder graph, List<String> wanted, long height, long width) {
    int lastBlock = lastBlock(new java.util.HashSet<>(wanted), false);
    stem.addTo(graph, STEM, "data", height, width);
    String x = STEM;
    long h = stem.outputSize(height);
    long w = stem.outputSize(width);
    for (int k = 0; k < blocks.size() && k <= lastBlock; k++) {
      x = blocks.get(k).addTo(graph, "block_" + k, x, h, w);
      int stride = blocks.get(k).stride();
      h = (h + stride - 1) / stride;
      w = (w + stride - 1) / stride;
    }
    if (lastBlock >= blocks.size()) {
      head.addTo(graph, HEAD, x, h, w);
    }
    return graph;
  }

  /**
   * Runs the network on normalised input (N, 3, H, W) in [-1, 1] as far as the wanted taps need,
   * or to the class logits when {@code logits} is true.
   *
   * @return the wanted taps by name, plus "logits" (N, classes) when asked
   */
  Map<String, NDArray> run(ParameterStore store, NDArray input, Set<String> wanted, boolean logits) {
    int lastBlock = lastBlock(wanted, logits);
    Map<String, NDArray> outputs = new HashMap<>();
    NDArray x = stem.forward(store, new NDList(input), false).singletonOrThrow();
    outputs.put(STEM, x);
    for (int k = 0; k < blocks.size() && k <= lastBlock; k++) {
      x = blocks.get(k).forward(store, x, "block_" + k, outputs);
    }
    if (lastBlock >= blocks.size()) {
      x = head.forward(store, new NDList(x), false).singletonOrThrow();
      outputs.put(HEAD, x);
    }
    Map<String, NDArray> result = new LinkedHashMap<>();
    for (String name : wanted) {
      result.put(name, outputs.get(name));
    }
    if (logits) {
      NDArray pooled = Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), -1, 1, 1);
      NDArray classes = classifier.forward(store, new NDList(pooled), false).singletonOrThrow();
      result.put("logits", classes.reshape(x.getShape().get(0), -1));
    }
    return result;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(run(parameterStore, inputs.singletonOrThrow(), Set.of(), true).get("logits"));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    return new Shape[] {new Shape(inputShapes[0].get(0), classes())};
  }

  /**
   * Rebuilds the network from a TFLite MobileNetV2: the operators must come in MobileNetV2's
   * order (optional QUANTIZE, stem CONV_2D, inverted residuals, head CONV_2D, MEAN or
   * AVERAGE_POOL_2D, classifier CONV_2D or FULLY_CONNECTED, ...).
   */
  static MobileNetV2 fromTfLite(TfLiteModel model, NDManager manager) {
    Reader reader = new Reader(model, manager);
    reader.skip(TfLiteModel.QUANTIZE, TfLiteModel.DEQUANTIZE);
    SameConv2d stem = reader.conv();
    List<InvertedResidual> blocks = new ArrayList<>();
    while (reader.startsInvertedResidual()) {
      blocks.add(reader.invertedResidual());
    }
    SameConv2d head = reader.conv();
    reader.expect(TfLiteModel.MEAN, TfLiteModel.AVERAGE_POOL_2D);
    SameConv2d classifier = reader.classifier();
    if (blocks.isEmpty()) {
      throw new IllegalArgumentException("no inverted residual blocks found: not a MobileNetV2");
    }
    return new MobileNetV2(stem, blocks, head, classifier);
  }

  /** Walks the operator list in order, turning operators into blocks. */
  private static final class Reader {
    private final TfLiteModel model;
    private final NDManager manager;
    private int next;

    Reader(TfLiteModel model, NDManager manager) {
      this.model = model;
      this.manager = manager;
    }

    void skip(int... opcodes) {
      while (next < model.operators.size() && contains(opcodes, op().opcode())) {
        next++;
      }
    }

    void expect(int... opcodes) {
      if (!contains(opcodes, op().opcode())) {
        throw unexpected("one of " + java.util.Arrays.toString(opcodes));
      }
      next++;
    }

    boolean startsInvertedResidual() {
      if (next + 1 >= model.operators.size()) {
        return false;
      }
      int first = op().opcode();
      int second = model.operators.get(next + 1).opcode();
      return first == TfLiteModel.DEPTHWISE_CONV_2D
          || (first == TfLiteModel.CONV_2D && second == TfLiteModel.DEPTHWISE_CONV_2D);
    }

    InvertedResidual invertedResidual() {
      int blockInput = op().inputs()[0];
      SameConv2d expand = op().opcode() == TfLiteModel.CONV_2D ? conv() : null;
      SameConv2d depthwise = depthwise();
      Operator projection = op();
      SameConv2d project = conv();
      boolean residual = false;
      if (next < model.operators.size() && op().opcode() == TfLiteModel.ADD) {
        int[] in = op().inputs();
        int projected = projection.outputs()[0];
        residual = (in[0] == blockInput && in[1] == projected) || (in[1] == blockInput && in[0] == projected);
        if (!residual) {
          throw unexpected("a residual ADD of the block input and its projection");
        }
        next++;
      }
      return new InvertedResidual(expand, depthwise, project, residual);
    }

    /** CONV_2D: TFLite weights are (out, kh, kw, in); DJL wants (out, in, kh, kw). */
    SameConv2d conv() {
      Operator op = op();
      if (op.opcode() != TfLiteModel.CONV_2D) {
        throw unexpected("CONV_2D");
      }
      checkSame(op);
      Tensor w = model.tensor(op.inputs()[1]);
      NDArray weights = manager.create(w.dequantize(), new Shape(w.shape()[0], w.shape()[1], w.shape()[2], w.shape()[3]))
          .transpose(0, 3, 1, 2);
      next++;
      return new SameConv2d(weights, bias(op, w.shape()[0]), op.options().strideH(), 1, fused(op));
    }

    /** DEPTHWISE_CONV_2D: TFLite weights are (1, kh, kw, channels); DJL wants (channels, 1, kh, kw). */
    SameConv2d depthwise() {
      Operator op = op();
      if (op.opcode() != TfLiteModel.DEPTHWISE_CONV_2D) {
        throw unexpected("DEPTHWISE_CONV_2D");
      }
      checkSame(op);
      if (op.options().depthMultiplier() != 1) {
        throw unexpected("depth multiplier 1");
      }
      Tensor w = model.tensor(op.inputs()[1]);
      int kh = w.shape()[1];
      int kw = w.shape()[2];
      int channels = w.shape()[3];
      NDArray weights = manager.create(w.dequantize(), new Shape(kh, kw, channels)).transpose(2, 0, 1)
          .reshape(channels, 1, kh, kw);
      next++;
      return new SameConv2d(weights, bias(op, channels), op.options().strideH(), channels, fused(op));
    }

    /** The classifier: a 1x1 CONV_2D or a FULLY_CONNECTED (weights (classes, features)). */
    SameConv2d classifier() {
      Operator op = op();
      if (op.opcode() == TfLiteModel.CONV_2D) {
        return conv();
      }
      if (op.opcode() != TfLiteModel.FULLY_CONNECTED) {
        throw unexpected("CONV_2D or FULLY_CONNECTED classifier");
      }
      Tensor w = model.tensor(op.inputs()[1]);
      NDArray weights = manager.create(w.dequantize(), new Shape(w.shape()[0], w.shape()[1], 1, 1));
      next++;
      return new SameConv2d(weights, bias(op, w.shape()[0]), 1, 1, fused(op));
    }

    private NDArray bias(Operator op, int channels) {
      if (op.inputs().length < 3 || op.inputs()[2] < 0) {
        return manager.zeros(new Shape(channels));
      }
      return manager.create(model.tensor(op.inputs()[2]).dequantize(), new Shape(channels));
    }

    private void checkSame(Operator op) {
      if (op.options().padding() != TfLiteModel.PADDING_SAME || op.options().strideH() != op.options().strideW()) {
        throw unexpected("SAME padding with equal strides");
      }
    }

    private static Fused fused(Operator op) {
      return switch (op.options().activation()) {
        case TfLiteModel.ACTIVATION_NONE -> Fused.NONE;
        case TfLiteModel.ACTIVATION_RELU -> Fused.RELU;
        case TfLiteModel.ACTIVATION_RELU6 -> Fused.RELU6;
        default -> throw new IllegalArgumentException("unsupported fused activation " + op.options().activation());
      };
    }

    private Operator op() {
      if (next >= model.operators.size()) {
        throw new IllegalArgumentException("the model ends early, after " + next + " operators");
      }
      return model.operators.get(next);
    }

    private IllegalArgumentException unexpected(String expected) {
      Operator op = op();
      String output = op.outputs().length > 0 ? model.tensor(op.outputs()[0]).name() : "?";
      return new IllegalArgumentException("operator " + next + " (builtin " + op.opcode() + ", output " + output
          + ") is not " + expected + ": not a MobileNetV2 this reader understands");
    }

    private static boolean contains(int[] values, int value) {
      for (int v : values) {
        if (v == value) {
          return true;
        }
      }
      return false;
    }
  }
}
