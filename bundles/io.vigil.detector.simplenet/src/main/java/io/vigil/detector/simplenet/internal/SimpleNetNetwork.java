package io.vigil.detector.simplenet.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import ai.djl.training.initializer.XavierInitializer.FactorType;
import ai.djl.training.initializer.XavierInitializer.RandomType;
import ai.djl.util.Pair;
import io.vigil.djl.graph.NetworkGraph;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * SimpleNet's trainable part: the feature adaptor, one linear layer without activation, and the
 * discriminator, Linear(d, hidden) + BatchNorm + LeakyReLU(0.2) + Linear(hidden, 1, no bias),
 * both Xavier-normal initialised as in the reference code.
 */
final class SimpleNetNetwork {
  static final float LEAKY_SLOPE = 0.2f;
  /** Batch norm: share of the running statistics kept per step (PyTorch's momentum 0.1). */
  static final float MOMENTUM = 0.9f;
  static final float EPSILON = 1e-5f;

  private final int dimension;
  private final int hidden;
  final Linear adaptor;
  final Linear hiddenLayer;
  final BatchNorm batchNorm;
  final Linear output;
  final SequentialBlock discriminator;
  /** Both parts in one block, for saving and loading the parameters together. */
  final SequentialBlock all;

  SimpleNetNetwork(int dimension, int hidden) {
    this.dimension = dimension;
    this.hidden = hidden;
    adaptor = Linear.builder().setUnits(dimension).optBias(true).build();
    hiddenLayer = Linear.builder().setUnits(hidden).optBias(true).build();
    batchNorm = BatchNorm.builder().optAxis(1).optEpsilon(1e-5f).optMomentum(0.9f).build();
    output = Linear.builder().setUnits(1).optBias(false).build();
    discriminator = new SequentialBlock()
        .add(hiddenLayer)
        .add(batchNorm)
        .addSingleton(x -> Activation.leakyRelu(x, LEAKY_SLOPE))
        .add(output);
    all = new SequentialBlock().add(adaptor).add(discriminator);
    XavierInitializer xavierNormal = new XavierInitializer(RandomType.GAUSSIAN, FactorType.AVG, 1f);
    for (Block linear : new Block[] {adaptor, hiddenLayer, output}) {
      linear.setInitializer(xavierNormal, Parameter.Type.WEIGHT);
    }
  }

  int dimension() {
    return dimension;
  }

  int hidden() {
    return hidden;
  }

  void initialize(NDManager manager) {
    all.initialize(manager, DataType.FLOAT32, new Shape(2, dimension));
  }

  /** Adapted features (rows, d). */
  NDArray adapt(ParameterStore store, NDArray features, boolean training) {
    return adaptor.forward(store, new NDList(features), training).singletonOrThrow();
  }

  /** Discriminator logits (rows): positive means "normal". */
  NDArray discriminate(ParameterStore store, NDArray adapted, boolean training) {
    NDArray hidden = hiddenLayer.forward(store, new NDList(adapted), training).singletonOrThrow();
    NDArray activated = Activation.leakyRelu(batchNorm(hidden, training), LEAKY_SLOPE);
    return output.forward(store, new NDList(activated), training).singletonOrThrow().reshape(-1);
  }

  /**
   * Batch normalisation over the rows, written out: the engine's BatchNorm operator takes about
   * four times as long as the hidden layer's matrix product on (rows, 1024) data on a CPU. The
   * parameters are the BatchNorm block's, so saving, loading and folding are unchanged. In
   * training the batch's statistics normalise and update the running ones (momentum
   * {@link #MOMENTUM}, unbiased variance, as PyTorch's BatchNorm1d).
   */
  private NDArray batchNorm(NDArray hidden, boolean training) {
    NDArray gamma = array(batchNorm, "gamma");
    NDArray beta = array(batchNorm, "beta");
    NDArray runningMean = array(batchNorm, "runningMean");
    NDArray runningVar = array(batchNorm, "runningVar");
    if (!training) {
      return hidden.sub(runningMean).div(runningVar.add(EPSILON).sqrt()).mul(gamma).add(beta);
    }
    long rows = hidden.getShape().get(0);
    NDArray mean = hidden.mean(new int[] {0});
    NDArray centered = hidden.sub(mean);
    NDArray variance = centered.square().mean(new int[] {0});
    NDArray normalized = centered.div(variance.add(EPSILON).sqrt()).mul(gamma).add(beta);
    NDArray batchMean = mean.stopGradient();
    NDArray batchVariance = variance.stopGradient().mul(rows / (double) Math.max(1, rows - 1));
    runningMean.muli(MOMENTUM).addi(batchMean.mul(1 - MOMENTUM));
    runningVar.muli(MOMENTUM).addi(batchVariance.mul(1 - MOMENTUM));
    return normalized;
  }

  /**
   * SimpleNet's truncated loss: mean max(0, m - D(q)) over true features plus mean
   * max(0, m + D(q + noise)) over fake ones.
   */
  static NDArray loss(NDArray trueScores, NDArray fakeScores, float margin) {
    NDArray trueLoss = Activation.relu(trueScores.neg().add(margin)).mean();
    NDArray fakeLoss = Activation.relu(fakeScores.add(margin)).mean();
    return trueLoss.add(fakeLoss);
  }

  /** Runs the training forward pass on one batch of features; returns [loss, trueScores, fakeScores]. */
  NDList trainingForward(ParameterStore store, NDArray features, float noiseStd, float margin) {
    NDArray adapted = adapt(store, features, true);
    NDArray noise = adapted.getManager().randomNormal(0f, noiseStd, adapted.getShape(), DataType.FLOAT32);
    NDArray scores = discriminate(store, NDArrays.concat(new NDList(adapted, adapted.add(noise)), 0), true);
    long rows = features.getShape().get(0);
    NDArray trueScores = scores.get("0:" + rows);
    NDArray fakeScores = scores.get(rows + ":");
    return new NDList(loss(trueScores, fakeScores, margin), trueScores, fakeScores);
  }

  void save(DataOutputStream out) throws IOException {
    all.saveParameters(out);
  }

  void load(NDManager manager, DataInputStream in) throws IOException, MalformedModelException {
    all.loadParameters(manager, in);
  }

  /**
   * The inference form: standardisation (if any), adaptor and batch norm (running statistics)
   * folded into the first discriminator layer, so scoring raw features is one matrix product, a
   * LeakyReLU and a dot product. Intermediates are freed; the scorer's arrays belong to
   * {@code manager}.
   */
  FoldedScorer fold(NDManager manager, EmbeddingStandardization standardization) {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = copy(adaptor, "weight", scope); // (d, d): adapted = x A^T + a
      NDArray aBias = copy(adaptor, "bias", scope);
      if (standardization != null) {
        // A ((x - m) / s) + a = (A / s) x + (a - A (m / s))
        NDArray inverse = scope.create(standardization.scale()).pow(-1);
        NDArray shift = scope.create(standardization.mean()).mul(inverse);
        aBias = aBias.sub(a.matMul(shift.expandDims(1)).reshape(-1));
        a = a.mul(inverse.expandDims(0));
      }
      NDArray w1 = copy(hiddenLayer, "weight", scope); // (hidden, d)
      NDArray b1 = copy(hiddenLayer, "bias", scope);
      NDArray gamma = copy(batchNorm, "gamma", scope);
      NDArray beta = copy(batchNorm, "beta", scope);
      NDArray mean = copy(batchNorm, "runningMean", scope);
      NDArray variance = copy(batchNorm, "runningVar", scope);
      NDArray scale = gamma.div(variance.add(1e-5f).sqrt()); // (hidden)
      NDArray foldedWeight = w1.matMul(a).mul(scale.expandDims(1)); // (hidden, d)
      NDArray foldedBias = w1.matMul(aBias.expandDims(1)).reshape(-1).add(b1).sub(mean).mul(scale).add(beta);
      NDArray w2 = copy(output, "weight", scope).reshape(-1); // (hidden)
      return new FoldedScorer(foldedWeight, foldedBias, w2.expandDims(0), manager);
    }
  }

  /** Copies of every parameter (batch norm statistics included), on {@code manager}. */
  NDList snapshot(NDManager manager) {
    NDList copies = new NDList();
    for (Pair<String, Parameter> pair : all.getParameters()) {
      NDArray copy = pair.getValue().getArray().duplicate();
      copy.attach(manager);
      copies.add(copy);
    }
    return copies;
  }

  /** Puts a {@link #snapshot} back. */
  void restore(NDList snapshot) {
    int i = 0;
    for (Pair<String, Parameter> pair : all.getParameters()) {
      snapshot.get(i++).copyTo(pair.getValue().getArray());
    }
  }

  private static NDArray copy(Block block, String name, NDManager scope) {
    NDArray copy = array(block, name).duplicate();
    copy.attach(scope);
    return copy;
  }

  private static NDArray array(Block block, String name) {
    Parameter parameter = block.getParameters().get(name);
    if (parameter == null || parameter.getArray() == null) {
      throw new IllegalStateException(block + " has no parameter " + name);
    }
    return parameter.getArray();
  }

  /**
   * Anomaly scores of adapted-space inputs: -D(x), with everything linear folded in. Uses the
   * engine's fully connected operator, which runs on its optimised inner-product kernels.
   */
  static final class FoldedScorer {
    private final NDArray weight; // (hidden, d)
    private final NDArray bias; // (hidden)
    private final NDArray outputWeight; // (1, hidden)
    private final NDArray weightKernel; // (hidden, d, 1, 1)
    private final NDArray outputKernel; // (1, hidden, 1, 1)
    private final NDArray negatedOutputKernel; // for the compiled graph
    private final NDArray noBias; // (1)

    FoldedScorer(NDArray weight, NDArray bias, NDArray outputWeight, NDManager owner) {
      this.weight = weight;
      this.bias = bias;
      this.outputWeight = outputWeight;
      long hidden = weight.getShape().get(0);
      this.weightKernel = weight.reshape(hidden, weight.getShape().get(1), 1, 1);
      this.outputKernel = outputWeight.reshape(1, hidden, 1, 1);
      this.negatedOutputKernel = outputKernel.neg();
      this.noBias = owner.zeros(new Shape(1));
      for (NDArray array : new NDArray[] {weight, bias, outputWeight, weightKernel, outputKernel, negatedOutputKernel}) {
        array.attach(owner);
      }
    }

    /**
     * Channels-first patch features (N, d, H, W) to anomaly score maps (N, H, W): the same
     * arithmetic as {@link #score} as 1x1 convolutions, with no transpose of the features.
     */
    NDArray scoreMaps(NDArray features) {
      NDArray hiddenMaps =
          Activation.leakyRelu(Conv2d.conv2d(features, weightKernel, bias).singletonOrThrow(), LEAKY_SLOPE);
      NDArray scores = Conv2d.conv2d(hiddenMaps, outputKernel).singletonOrThrow();
      Shape shape = scores.getShape();
      return scores.reshape(shape.get(0), shape.get(2), shape.get(3)).neg();
    }

    /**
     * The same arithmetic as {@link #scoreMaps} added to a compiled graph after node
     * {@code input} (N, d, H, W): output "scores" (N, 1, H, W), the negation folded into the
     * output weights.
     */
    void addTo(NetworkGraph.Builder graph, String input) {
      int[] none = new int[4];
      graph.convolution("discriminator_hidden", input, weightKernel, bias, 1, none, 1, NetworkGraph.Activation.NONE)
          .leakyRelu("discriminator_hidden_leaky", "discriminator_hidden", LEAKY_SLOPE)
          .convolution("scores", "discriminator_hidden_leaky", negatedOutputKernel, noBias, 1, none, 1,
              NetworkGraph.Activation.NONE)
          .output("scores");
    }

    /** (rows, d) features to (rows) anomaly scores. */
    NDArray score(NDArray features) {
      NDArray hiddenActivations = Activation.leakyRelu(Linear.linear(features, weight, bias).singletonOrThrow(), LEAKY_SLOPE);
      return Linear.linear(hiddenActivations, outputWeight).singletonOrThrow().reshape(-1).neg();
    }
  }
}
