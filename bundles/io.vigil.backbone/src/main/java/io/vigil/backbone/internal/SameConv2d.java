package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import io.vigil.djl.graph.NetworkGraph;

/**
 * A frozen 2-D convolution with TensorFlow's "SAME" padding and a fused activation, as TFLite
 * stores them. SAME pads the odd extra row and column at the bottom and right, which a symmetric
 * convolution padding cannot express, so that one row/column is added explicitly.
 */
final class SameConv2d extends AbstractBlock {
  enum Fused { NONE, RELU, RELU6 }

  private final int kernelH;
  private final int kernelW;
  private final int stride;
  private final int groups;
  private final int outChannels;
  private final Fused activation;
  private final Parameter weight;
  private final Parameter bias;

  /**
   * @param weights (out, in / groups, kernelH, kernelW), already dequantised
   * @param biases (out)
   */
  SameConv2d(NDArray weights, NDArray biases, int stride, int groups, Fused activation) {
    Shape shape = weights.getShape();
    this.outChannels = (int) shape.get(0);
    this.kernelH = (int) shape.get(2);
    this.kernelW = (int) shape.get(3);
    this.stride = stride;
    this.groups = groups;
    this.activation = activation;
    this.weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT).build());
    this.bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS).build());
    weight.setArray(weights);
    bias.setArray(biases);
    weight.freeze(true);
    bias.freeze(true);
  }

  int outChannels() {
    return outChannels;
  }

  int stride() {
    return stride;
  }

  /**
   * This convolution as a node of a compiled graph for an input of height x width (SAME padding
   * depends on the input size's parity).
   */
  void addTo(NetworkGraph.Builder graph, String name, String input, long height, long width) {
    int[] padH = samePadding(height, kernelH, stride);
    int[] padW = samePadding(width, kernelW, stride);
    graph.convolution(name, input, weight.getArray(), bias.getArray(), stride,
        new int[] {padH[0], padH[1], padW[0], padW[1]}, groups, switch (activation) {
          case NONE -> NetworkGraph.Activation.NONE;
          case RELU -> NetworkGraph.Activation.RELU;
          case RELU6 -> NetworkGraph.Activation.RELU6;
        });
  }

  @Override
  protected NDList forwardInternal(
      ParameterStore parameterStore, NDList inputs, boolean training, PairList<String, Object> params) {
    NDArray x = inputs.singletonOrThrow();
    long height = x.getShape().get(2);
    long width = x.getShape().get(3);
    int[] padH = samePadding(height, kernelH, stride);
    int[] padW = samePadding(width, kernelW, stride);
    if (padH[1] > padH[0]) {
      x = x.concat(x.getManager().zeros(new Shape(x.getShape().get(0), x.getShape().get(1), 1, width), x.getDataType()), 2);
    }
    if (padW[1] > padW[0]) {
      Shape s = x.getShape();
      x = x.concat(x.getManager().zeros(new Shape(s.get(0), s.get(1), s.get(2), 1), x.getDataType()), 3);
    }
    NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
    NDArray b = parameterStore.getValue(bias, x.getDevice(), training);
    NDArray y = Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(padH[0], padW[0]), new Shape(1, 1), groups)
        .singletonOrThrow();
    return new NDList(switch (activation) {
      case NONE -> y;
      case RELU -> Activation.relu(y);
      case RELU6 -> Activation.relu6(y);
    });
  }

  /** Operations (multiply-add = 2) for an input of height x width: from the weight shape and the SAME output size. */
  long flops(long height, long width) {
    long inPerGroup = weight.getArray().getShape().get(1);
    return 2L * outChannels * inPerGroup * kernelH * kernelW * outputSize(height) * outputSize(width);
  }

  long outputSize(long in) {
    return (in + stride - 1) / stride;
  }

  /** TensorFlow SAME: output ceil(in / stride); padding [before, after], after gets the odd one. */
  static int[] samePadding(long in, int kernel, int stride) {
    long out = (in + stride - 1) / stride;
    int total = (int) Math.max((out - 1) * stride + kernel - in, 0);
    return new int[] {total / 2, total - total / 2};
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape in = inputShapes[0];
    return new Shape[] {
      new Shape(in.get(0), outChannels, (in.get(2) + stride - 1) / stride, (in.get(3) + stride - 1) / stride)
    };
  }
}
