package io.vigil.detector.efficientad.internal;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import io.vigil.detector.common.features.ResamplingMatrices;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import io.vigil.djl.graph.NetworkGraph;
import java.util.ArrayList;
import java.util.List;

/**
 * EfficientAD's two trained networks, on DJL's engine-neutral blocks.
 *
 * <p>The student has the paper's PDN shape (4x4 conv, 2x2 average pool, 4x4 conv, 2x2 average
 * pool, 3x3 conv, 4x4 conv, ReLU between), with one more average pool before the last
 * convolution for a stride-8 teacher, and padded so that its grid is exactly the teacher's
 * (input / stride). It puts out twice the teacher's channels: the first half predicts the
 * teacher, the second the autoencoder. {@code studentContext} more 3x3 convolutions before its
 * last one widen its receptive field (49 px at stride 8) by 2 x stride pixels each, towards the
 * backbone teacher's, whose deeper tap sees most of the image.
 *
 * <p>The autoencoder squeezes the whole image through a 1x1 bottleneck (five 4x4 stride-2
 * convolutions, then one covering what is left), so it can only reproduce the teacher's features
 * from the image's global layout; its decoder upsamples bilinearly (as matrix products, which
 * the engine differentiates) to 1/8, 1/4, 1/2 and the whole teacher grid, a 3x3 convolution after
 * each.
 *
 * <p>With a distilled teacher there is a third network, the teacher PDN: the student's shape
 * with its own width, putting out the teacher's channels. It is trained first, to reproduce the
 * backbone's features, and is frozen afterwards; scoring then needs no backbone.
 */
final class EfficientAdNetworks {
  private final int inputSize;
  private final int teacherChannels;
  private final int grid;
  final SequentialBlock student;
  final SequentialBlock autoencoder;
  /** The distilled teacher PDN, or null when the backbone's features are the teacher. */
  final SequentialBlock teacher;
  private long flops;
  private long teacherFlops;
  /** Each network's layers as built, for {@link #addTo}: the blocks' lambdas cannot be read back. */
  private final java.util.Map<SequentialBlock, List<Layer>> layers = new java.util.IdentityHashMap<>();
  /** The layers of the network being built. */
  private List<Layer> building;

  /** One layer of a network, as a graph repeats it. */
  private sealed interface Layer {}

  /**
   * A convolution: its block, zero padding {top, bottom, left, right} (the PDN's last one drops
   * the row and column the layers crop), stride and ReLU after it.
   */
  private record ConvLayer(Conv2d block, int[] padding, int stride, boolean relu) implements Layer {}

  /** 2x2 average pooling with stride 2. */
  private record PoolLayer() implements Layer {}

  /** Bilinear resize to size x size. */
  private record UpsampleLayer(int from, int size) implements Layer {}

  /**
   * @param teacherChannels the teacher tap's channels
   * @param teacherStride   the teacher tap's stride, 4 or 8
   */
  EfficientAdNetworks(int inputSize, int teacherChannels, int teacherStride, int studentChannels,
      int autoencoderChannels) {
    this(inputSize, teacherChannels, teacherStride, studentChannels, autoencoderChannels, 0, 0);
  }

  /**
   * @param teacherWidth   the distilled teacher PDN's width; 0: no teacher network (the backbone is the teacher)
   * @param studentContext extra 3x3 convolutions in the student before its last
   */
  EfficientAdNetworks(int inputSize, int teacherChannels, int teacherStride, int studentChannels,
      int autoencoderChannels, int teacherWidth, int studentContext) {
    if (teacherStride != 4 && teacherStride != 8) {
      throw new IllegalArgumentException("the teacher tap must have stride 4 or 8, not " + teacherStride);
    }
    this.inputSize = inputSize;
    this.teacherChannels = teacherChannels;
    this.grid = inputSize / teacherStride;
    this.student = pdn(studentChannels, teacherStride, 2 * teacherChannels, studentContext);
    this.autoencoder = autoencoder(autoencoderChannels);
    if (teacherWidth > 0) {
      long before = flops;
      this.teacher = pdn(teacherWidth, teacherStride, teacherChannels, 0);
      teacherFlops = flops - before;
      flops = before;
    } else {
      this.teacher = null;
    }
  }

  boolean distilledTeacher() {
    return teacher != null;
  }

  /** Multiply-adds (times two) of the teacher PDN for one image; 0 without one. */
  long teacherFlopsPerImage() {
    return teacherFlops;
  }

  int grid() {
    return grid;
  }

  int teacherChannels() {
    return teacherChannels;
  }

  /** Multiply-adds (times two) of student and autoencoder for one image. */
  long flopsPerImage() {
    return flops;
  }

  /**
   * A PDN of {@code width} putting out {@code outputs} channels on the teacher's grid, with
   * {@code context} more 3x3 convolutions (ReLU after each) before the last.
   */
  private SequentialBlock pdn(int width, int stride, int outputs, int context) {
    int size = inputSize;
    SequentialBlock block = new SequentialBlock();
    building = new ArrayList<>();
    size = conv(block, 3, width / 2, 4, 2, 1, size, true);
    size = pool(block, size);
    size = conv(block, width / 2, width, 4, 2, 1, size, true);
    size = pool(block, size);
    size = conv(block, width, width, 3, 1, 1, size, true);
    if (stride == 8) {
      size = pool(block, size);
    }
    for (int i = 0; i < context; i++) {
      size = conv(block, width, width, 3, 1, 1, size, true);
    }
    int out = conv(block, width, outputs, 4, 2, 1, size, false);
    // A 4x4 kernel padded by 2 gives one row and column more than the grid: drop the last.
    int g = grid;
    block.addSingleton(x -> x.get(":, :, :" + g + ", :" + g));
    // In a graph: one row and column less padding after, the same cells.
    ConvLayer last = (ConvLayer) building.remove(building.size() - 1);
    int cut = out - g;
    building.add(new ConvLayer(last.block(), new int[] {2, 2 - cut, 2, 2 - cut}, 1, false));
    layers.put(block, List.copyOf(building));
    return block;
  }

  private SequentialBlock autoencoder(int c) {
    SequentialBlock block = new SequentialBlock();
    building = new ArrayList<>();
    int size = inputSize;
    int in = 3;
    for (int out : new int[] {c, c, 2 * c, 2 * c, 2 * c}) {
      size = conv(block, in, out, 4, 1, 2, size, true);
      in = out;
    }
    size = conv(block, in, 2 * c, size, 0, 1, size, false); // the bottleneck: 1x1
    for (int up : new int[] {8, 4, 2, 1}) {
      int target = Math.max(1, Math.round(grid / (float) up));
      block.addSingleton(x -> upsample(x, target));
      building.add(new UpsampleLayer(size, target));
      size = target;
      conv(block, 2 * c, 2 * c, 3, 1, 1, target, true);
    }
    conv(block, 2 * c, teacherChannels, 3, 1, 1, grid, false);
    layers.put(block, List.copyOf(building));
    return block;
  }

  private int pool(SequentialBlock block, int size) {
    block.add(Pool.avgPool2dBlock(new Shape(2, 2), new Shape(2, 2)));
    building.add(new PoolLayer());
    return size / 2;
  }

  /**
   * Adds {@code network}'s layers (its current weights) to a graph after node {@code input} (RGB
   * in [0, 1]), node names starting with {@code prefix}; what the network computes, as one graph.
   *
   * @return the network's output node
   */
  String addTo(NetworkGraph.Builder graph, SequentialBlock network, String input, String prefix) {
    String x = input;
    int index = 0;
    for (Layer layer : layers.get(network)) {
      String name = prefix + "_" + index++;
      if (layer instanceof ConvLayer conv) {
        ai.djl.util.PairList<String, Parameter> parameters = conv.block().getParameters();
        graph.convolution(name, x, parameters.get("weight").getArray(), parameters.get("bias").getArray(),
            conv.stride(), conv.padding(), 1,
            conv.relu() ? NetworkGraph.Activation.RELU : NetworkGraph.Activation.NONE);
      } else if (layer instanceof PoolLayer) {
        graph.averagePool(name, x, 2, 2, 0);
      } else if (layer instanceof UpsampleLayer up) {
        if (up.from() == up.size()) {
          continue; // the layers skip a resize to the same size
        }
        graph.linearResize(name, x, ResamplingMatrices.bilinear(up.from(), up.size()),
            ResamplingMatrices.bilinear(up.from(), up.size()));
      }
      x = name;
    }
    return x;
  }

  /** Adds a convolution (and ReLU), counts its work and returns its output size. */
  private int conv(SequentialBlock block, int in, int out, int kernel, int padding, int stride, int size, boolean relu) {
    Conv2d conv = Conv2d.builder()
        .setKernelShape(new Shape(kernel, kernel))
        .optPadding(new Shape(padding, padding))
        .optStride(new Shape(stride, stride))
        .setFilters(out)
        .build();
    block.add(conv);
    building.add(new ConvLayer(conv, new int[] {padding, padding, padding, padding}, stride, relu));
    if (relu) {
      block.add(Activation::relu);
    }
    int outSize = (size + 2 * padding - kernel) / stride + 1;
    flops += 2L * kernel * kernel * in * out * outSize * outSize;
    return outSize;
  }

  /** Bilinear resize of (N, C, h, w) to (N, C, size, size) as two matrix products. */
  private static NDArray upsample(NDArray x, int size) {
    return ResamplingMatrices.resizeBilinear(x, size, size);
  }

  void initialize(NDManager manager) {
    Shape input = new Shape(1, 3, inputSize, inputSize);
    student.initialize(manager, DataType.FLOAT32, input);
    autoencoder.initialize(manager, DataType.FLOAT32, input);
    if (teacher != null) {
      teacher.initialize(manager, DataType.FLOAT32, input);
    }
  }

  /** The distilled teacher's raw output (N, C, g, g). */
  NDArray teacher(ParameterStore store, NDArray rgb, boolean training) {
    return teacher.forward(store, new NDList(rgb), training).singletonOrThrow();
  }

  /** Student output (N, 2 C, g, g): teacher prediction, then autoencoder prediction. */
  NDArray student(ParameterStore store, NDArray rgb, boolean training) {
    return student.forward(store, new NDList(rgb), training).singletonOrThrow();
  }

  /** Autoencoder output (N, C, g, g). */
  NDArray autoencoder(ParameterStore store, NDArray rgb, boolean training) {
    return autoencoder.forward(store, new NDList(rgb), training).singletonOrThrow();
  }

  void save(DataOutputStream out) throws IOException {
    student.saveParameters(out);
    autoencoder.saveParameters(out);
    if (teacher != null) {
      teacher.saveParameters(out);
    }
  }

  void load(NDManager manager, DataInputStream in) throws IOException, MalformedModelException {
    student.loadParameters(manager, in);
    autoencoder.loadParameters(manager, in);
    if (teacher != null) {
      teacher.loadParameters(manager, in);
    }
  }

  /** Copies of every parameter, on {@code manager}: the best validated networks while training goes on. */
  NDList snapshot(NDManager manager) {
    NDList copies = new NDList();
    for (Block block : new Block[] {student, autoencoder}) {
      for (Pair<String, Parameter> pair : block.getParameters()) {
        NDArray copy = pair.getValue().getArray().duplicate();
        copy.attach(manager);
        copies.add(copy);
      }
    }
    return copies;
  }

  /** Puts a {@link #snapshot} back. */
  void restore(NDList snapshot) {
    int i = 0;
    for (Block block : new Block[] {student, autoencoder}) {
      for (Pair<String, Parameter> pair : block.getParameters()) {
        snapshot.get(i++).copyTo(pair.getValue().getArray());
      }
    }
  }
}
