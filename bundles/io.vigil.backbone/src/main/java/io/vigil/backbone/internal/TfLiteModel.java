package io.vigil.backbone.internal;

import com.google.flatbuffers.Table;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A TensorFlow Lite flatbuffer, read far enough to rebuild a convolutional network: tensors (shape,
 * type, quantisation, constant data), operators in execution order and their options. Field
 * numbers follow tensorflow/lite/schema/schema.fbs.
 */
final class TfLiteModel {
  /** TFLite BuiltinOperator codes used by image CNNs. */
  static final int ADD = 0;
  static final int AVERAGE_POOL_2D = 1;
  static final int CONV_2D = 3;
  static final int DEPTHWISE_CONV_2D = 4;
  static final int DEQUANTIZE = 6;
  static final int FULLY_CONNECTED = 9;
  static final int RESHAPE = 22;
  static final int SOFTMAX = 25;
  static final int MEAN = 40;
  static final int QUANTIZE = 114;

  /** TFLite TensorType codes. */
  static final int FLOAT32 = 0;
  static final int INT32 = 2;
  static final int UINT8 = 3;
  static final int INT8 = 9;

  /** TFLite Padding and ActivationFunctionType codes. */
  static final int PADDING_SAME = 0;
  static final int ACTIVATION_NONE = 0;
  static final int ACTIVATION_RELU = 1;
  static final int ACTIVATION_RELU6 = 3;

  final List<Tensor> tensors;
  final List<Operator> operators;
  final int[] inputs;
  final int[] outputs;

  private TfLiteModel(List<Tensor> tensors, List<Operator> operators, int[] inputs, int[] outputs) {
    this.tensors = tensors;
    this.operators = operators;
    this.inputs = inputs;
    this.outputs = outputs;
  }

  static TfLiteModel read(Path file) throws IOException {
    byte[] bytes = Files.readAllBytes(file);
    try {
      return parse(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN));
    } catch (RuntimeException e) {
      throw new IOException(file + " is not a readable TensorFlow Lite model: " + e, e);
    }
  }

  static TfLiteModel parse(ByteBuffer bb) {
    if (bb.capacity() < 8 || !"TFL3".equals(new String(bb.array(), 4, 4, java.nio.charset.StandardCharsets.US_ASCII))) {
      throw new IllegalArgumentException("no TFL3 file identifier");
    }
    ModelTable model = new ModelTable(bb);
    int[] opcodes = model.operatorCodes();
    if (model.subgraphCount() != 1) {
      throw new IllegalArgumentException("expected one subgraph, found " + model.subgraphCount());
    }
    SubGraphTable graph = model.subgraph(0);
    List<Tensor> tensors = new ArrayList<>();
    for (int i = 0; i < graph.tensorCount(); i++) {
      TensorTable t = graph.tensor(i);
      tensors.add(new Tensor(i, t.name(), t.shape(), t.type(), model.bufferData(t.buffer()), t.scales(),
          t.zeroPoints(), t.quantizedDimension()));
    }
    List<Operator> operators = new ArrayList<>();
    for (int i = 0; i < graph.operatorCount(); i++) {
      OperatorTable op = graph.operator(i);
      operators.add(new Operator(opcodes[op.opcodeIndex()], op.inputs(), op.outputs(), op.options()));
    }
    return new TfLiteModel(tensors, operators, graph.inputs(), graph.outputs());
  }

  Tensor tensor(int index) {
    return tensors.get(index);
  }

  /** A tensor; {@code data} is null for activations, the raw little-endian bytes for constants. */
  record Tensor(int index, String name, int[] shape, int type, ByteBuffer data, float[] scales, long[] zeroPoints,
      int quantizedDimension) {

    int elementCount() {
      return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
    }

    /**
     * The constant's values as float: int8 and uint8 weights dequantised per channel along the
     * quantised dimension, int32 biases with their scales, float32 as is.
     */
    float[] dequantize() {
      if (data == null) {
        throw new IllegalStateException("tensor " + name + " has no constant data");
      }
      int count = elementCount();
      float[] values = new float[count];
      ByteBuffer buffer = data.duplicate().order(ByteOrder.LITTLE_ENDIAN);
      int channels = scales.length;
      int inner = 1;
      if (channels > 1) {
        for (int d = quantizedDimension + 1; d < shape.length; d++) {
          inner *= shape[d];
        }
      }
      for (int i = 0; i < count; i++) {
        int channel = channels > 1 ? (i / inner) % channels : 0;
        float scale = channels == 0 ? 1f : scales[channel];
        long zero = zeroPoints.length == 0 ? 0 : zeroPoints[Math.min(channel, zeroPoints.length - 1)];
        switch (type) {
          case FLOAT32 -> values[i] = buffer.getFloat(i * 4);
          case INT8 -> values[i] = scale * (buffer.get(i) - zero);
          case UINT8 -> values[i] = scale * ((buffer.get(i) & 0xFF) - zero);
          case INT32 -> values[i] = scale * (buffer.getInt(i * 4) - zero);
          default -> throw new IllegalStateException("tensor " + name + " has unsupported type " + type);
        }
      }
      return values;
    }
  }

  /** An operator with its options: for convolutions [padding, strideW, strideH, activation, depthMultiplier]. */
  record Operator(int opcode, int[] inputs, int[] outputs, ConvOptions options) {}

  /** The options convolutions and adds carry. */
  record ConvOptions(int padding, int strideW, int strideH, int activation, int depthMultiplier) {
    static final ConvOptions NONE = new ConvOptions(PADDING_SAME, 1, 1, ACTIVATION_NONE, 1);
  }

  // ---- flatbuffer tables (field i lives at vtable offset 4 + 2 * i) ----

  private static int field(int index) {
    return 4 + 2 * index;
  }

  private static final class ModelTable extends Node {
    ModelTable(ByteBuffer bb) {
      __reset(bb.getInt(bb.position()) + bb.position(), bb);
    }

    int[] operatorCodes() {
      int o = __offset(field(1));
      int n = __vector_len(o);
      int[] codes = new int[n];
      for (int i = 0; i < n; i++) {
        OperatorCodeTable code = new OperatorCodeTable();
        code.at(__indirect(__vector(o) + i * 4), bb);
        codes[i] = code.builtinCode();
      }
      return codes;
    }

    int subgraphCount() {
      int o = __offset(field(2));
      return o == 0 ? 0 : __vector_len(o);
    }

    SubGraphTable subgraph(int i) {
      int o = __offset(field(2));
      SubGraphTable graph = new SubGraphTable();
      graph.at(__indirect(__vector(o) + i * 4), bb);
      return graph;
    }

    ByteBuffer bufferData(int index) {
      int o = __offset(field(4));
      if (o == 0 || index == 0 || index >= __vector_len(o)) {
        return null; // buffer 0 is the empty sentinel: activations have no data
      }
      BufferTable buffer = new BufferTable();
      buffer.at(__indirect(__vector(o) + index * 4), bb);
      return buffer.data();
    }
  }

  private static final class OperatorCodeTable extends Node {
    int builtinCode() {
      // The byte-sized deprecated code and the int32 code: the larger one is right (schema v3a).
      int deprecated = __offset(field(0)) == 0 ? 0 : bb.get(bb_pos + __offset(field(0)));
      int extended = __offset(field(3)) == 0 ? 0 : bb.getInt(bb_pos + __offset(field(3)));
      return Math.max(deprecated, extended);
    }
  }

  private static final class BufferTable extends Node {
    ByteBuffer data() {
      int o = __offset(field(0));
      if (o == 0 || __vector_len(o) == 0) {
        return null;
      }
      int start = __vector(o);
      return bb.duplicate().position(start).limit(start + __vector_len(o)).slice().order(ByteOrder.LITTLE_ENDIAN);
    }
  }

  private static final class SubGraphTable extends Node {
    int tensorCount() {
      return __vector_len(__offset(field(0)));
    }

    TensorTable tensor(int i) {
      TensorTable t = new TensorTable();
      t.at(__indirect(__vector(__offset(field(0))) + i * 4), bb);
      return t;
    }

    int[] inputs() {
      return ints(field(1));
    }

    int[] outputs() {
      return ints(field(2));
    }

    int operatorCount() {
      return __vector_len(__offset(field(3)));
    }

    OperatorTable operator(int i) {
      OperatorTable op = new OperatorTable();
      op.at(__indirect(__vector(__offset(field(3))) + i * 4), bb);
      return op;
    }
  }

  private static final class TensorTable extends Node {
    int[] shape() {
      return ints(field(0));
    }

    int type() {
      int o = __offset(field(1));
      return o == 0 ? FLOAT32 : bb.get(bb_pos + o);
    }

    int buffer() {
      int o = __offset(field(2));
      return o == 0 ? 0 : bb.getInt(bb_pos + o);
    }

    String name() {
      int o = __offset(field(3));
      return o == 0 ? "" : __string(bb_pos + o);
    }

    private QuantizationTable quantization() {
      int o = __offset(field(4));
      if (o == 0) {
        return null;
      }
      QuantizationTable q = new QuantizationTable();
      q.at(__indirect(bb_pos + o), bb);
      return q;
    }

    float[] scales() {
      QuantizationTable q = quantization();
      return q == null ? new float[0] : q.scales();
    }

    long[] zeroPoints() {
      QuantizationTable q = quantization();
      return q == null ? new long[0] : q.zeroPoints();
    }

    int quantizedDimension() {
      QuantizationTable q = quantization();
      return q == null ? 0 : q.quantizedDimension();
    }
  }

  private static final class QuantizationTable extends Node {
    float[] scales() {
      int o = __offset(field(2));
      if (o == 0) {
        return new float[0];
      }
      float[] values = new float[__vector_len(o)];
      for (int i = 0; i < values.length; i++) {
        values[i] = bb.getFloat(__vector(o) + i * 4);
      }
      return values;
    }

    long[] zeroPoints() {
      int o = __offset(field(3));
      if (o == 0) {
        return new long[0];
      }
      long[] values = new long[__vector_len(o)];
      for (int i = 0; i < values.length; i++) {
        values[i] = bb.getLong(__vector(o) + i * 8);
      }
      return values;
    }

    int quantizedDimension() {
      int o = __offset(field(6));
      return o == 0 ? 0 : bb.getInt(bb_pos + o);
    }
  }

  private static final class OperatorTable extends Node {
    int opcodeIndex() {
      int o = __offset(field(0));
      return o == 0 ? 0 : bb.getInt(bb_pos + o);
    }

    int[] inputs() {
      return ints(field(1));
    }

    int[] outputs() {
      return ints(field(2));
    }

    /** Conv2DOptions and DepthwiseConv2DOptions share padding and strides; activation moves. */
    ConvOptions options() {
      int typeOffset = __offset(field(3));
      int optionsOffset = __offset(field(4));
      if (typeOffset == 0 || optionsOffset == 0) {
        return ConvOptions.NONE;
      }
      int optionsType = bb.get(bb_pos + typeOffset) & 0xFF;
      OptionsTable options = new OptionsTable();
      options.at(__indirect(bb_pos + optionsOffset), bb);
      return switch (optionsType) {
        case 1 -> new ConvOptions(options.byteField(0), options.intField(1, 1), options.intField(2, 1),
            options.byteField(3), 1); // Conv2DOptions
        case 2 -> new ConvOptions(options.byteField(0), options.intField(1, 1), options.intField(2, 1),
            options.byteField(4), options.intField(3, 1)); // DepthwiseConv2DOptions
        case 11 -> new ConvOptions(PADDING_SAME, 1, 1, options.byteField(0), 1); // AddOptions
        default -> ConvOptions.NONE;
      };
    }
  }

  private static final class OptionsTable extends Node {
    int intField(int index, int defaultValue) {
      int o = __offset(field(index));
      if (o == 0) {
        return defaultValue;
      }
      return bb.getInt(bb_pos + o);
    }

    int byteField(int index) {
      int o = __offset(field(index));
      return o == 0 ? 0 : bb.get(bb_pos + o);
    }
  }

  /** A flatbuffer table with the int-vector reader every table here needs. */
  private abstract static class Node extends Table {
    /** Points this accessor at the table at {@code position} (Table's own reset is protected). */
    void at(int position, ByteBuffer buffer) {
      __reset(position, buffer);
    }

    int[] ints(int fieldOffset) {
      int o = __offset(fieldOffset);
      if (o == 0) {
        return new int[0];
      }
      int[] values = new int[__vector_len(o)];
      for (int i = 0; i < values.length; i++) {
        values[i] = bb.getInt(__vector(o) + i * 4);
      }
      return values;
    }
  }
}
