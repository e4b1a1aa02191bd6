package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.vigil.djl.graph.NetworkGraph;
import java.util.Map;

/**
 * MobileNetV2's inverted residual: 1x1 expansion (ReLU6; absent in the first block), 3x3
 * depthwise (ReLU6), linear 1x1 projection, and a residual add when shapes allow.
 */
final class InvertedResidual extends AbstractBlock {
  private final SameConv2d expand;
  private final SameConv2d depthwise;
  private final SameConv2d project;
  private final boolean residual;

  InvertedResidual(SameConv2d expand, SameConv2d depthwise, SameConv2d project, boolean residual) {
    this.expand = expand == null ? null : addChildBlock("expand", expand);
    this.depthwise = addChildBlock("depthwise", depthwise);
    this.project = addChildBlock("project", project);
    this.residual = residual;
  }

  boolean hasExpansion() {
    return expand != null;
  }

  boolean isResidual() {
    return residual;
  }

  int stride() {
    return depthwise.stride();
  }

  int expandedChannels() {
    return depthwise.outChannels();
  }

  int outChannels() {
    return project.outChannels();
  }

  /** Operations of the block's convolutions for an input of height x width (see {@link SameConv2d#flops}). */
  long flops(long height, long width) {
    long flops = expand == null ? 0 : expand.flops(height, width);
    flops += depthwise.flops(height, width);
    return flops + project.flops(depthwise.outputSize(height), depthwise.outputSize(width));
  }

  /** Runs the block, putting intermediate outputs under "{prefix}_expand", ..._depthwise", "_output". */
  NDArray forward(ParameterStore store, NDArray input, String prefix, Map<String, NDArray> taps) {
    NDArray x = input;
    if (expand != null) {
      x = expand.forward(store, new NDList(x), false).singletonOrThrow();
      taps.put(prefix + "_expand", x);
    }
    x = depthwise.forward(store, new NDList(x), false).singletonOrThrow();
    taps.put(prefix + "_depthwise", x);
    x = project.forward(store, new NDList(x), false).singletonOrThrow();
    if (residual) {
      x = x.add(input);
    }
    taps.put(prefix + "_output", x);
    return x;
  }

  /**
   * Adds the block's layers to a compiled graph under the tap names "{prefix}_expand",
   * "_depthwise", "_output" (the projection is "_project" when a residual sum follows it).
   *
   * @return the name of the block's output node
   */
  String addTo(NetworkGraph.Builder graph, String prefix, String input, long height, long width) {
    String x = input;
    if (expand != null) {
      expand.addTo(graph, prefix + "_expand", x, height, width);
      x = prefix + "_expand";
    }
    depthwise.addTo(graph, prefix + "_depthwise", x, height, width);
    long h = depthwise.outputSize(height);
    long w = depthwise.outputSize(width);
    String output = prefix + "_output";
    if (residual) {
      project.addTo(graph, prefix + "_project", prefix + "_depthwise", h, w);
      graph.sum(output, prefix + "_project", input);
    } else {
      project.addTo(graph, output, prefix + "_depthwise", h, w);
    }
    return output;
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    return new NDList(forward(parameterStore, inputs.singletonOrThrow(), "block", new java.util.HashMap<>()));
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape[] shapes = inputShapes;
    if (expand != null) {
      shapes = expand.getOutputShapes(shapes);
    }
    return project.getOutputShapes(depthwise.getOutputShapes(shapes));
  }
}
