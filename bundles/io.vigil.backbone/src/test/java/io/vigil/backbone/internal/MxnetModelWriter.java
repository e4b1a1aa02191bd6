package io.vigil.backbone.internal;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes an MXNet model the way MXNet saves one (symbol JSON + NDArray list .params), from plain
 * Java, so the model zoo loading code can be tested offline on a local directory.
 * Format: MXNet's NDArray::Save (list magic 0x112, per array V2 magic 0xF993FAC9, storage type,
 * shape as int32 ndim + int64 dims, context, dtype flag, raw data), then the names.
 */
final class MxnetModelWriter {
  private MxnetModelWriter() {}

  /** A global average pool, flatten and one dense layer: classes = weights.length / 3. */
  static void writePoolDense(Path directory, String name, float[] weights, float[] bias) throws IOException {
    int classes = bias.length;
    String symbol = """
        {
          "nodes": [
            {"op": "null", "name": "data", "inputs": []},
            {"op": "Pooling", "name": "pool0", "attrs": {"global_pool": "True", "kernel": "(1, 1)", "pool_type": "avg"}, "inputs": [[0, 0, 0]]},
            {"op": "Flatten", "name": "flatten0", "inputs": [[1, 0, 0]]},
            {"op": "null", "name": "dense0_weight", "attrs": {"__shape__": "(%1$d, 3)"}, "inputs": []},
            {"op": "null", "name": "dense0_bias", "attrs": {"__shape__": "(%1$d,)"}, "inputs": []},
            {"op": "FullyConnected", "name": "dense0", "attrs": {"num_hidden": "%1$d", "flatten": "True"}, "inputs": [[2, 0, 0], [3, 0, 0], [4, 0, 0]]}
          ],
          "arg_nodes": [0, 3, 4],
          "node_row_ptr": [0, 1, 2, 3, 4, 5, 6],
          "heads": [[5, 0, 0]],
          "attrs": {"mxnet_version": ["int", 10900]}
        }
        """.formatted(classes);
    Files.createDirectories(directory);
    Files.writeString(directory.resolve(name + "-symbol.json"), symbol);
    Map<String, Array> params = new LinkedHashMap<>();
    params.put("arg:dense0_weight", new Array(new long[] {classes, 3}, weights));
    params.put("arg:dense0_bias", new Array(new long[] {classes}, bias));
    try (OutputStream out = Files.newOutputStream(directory.resolve(name + "-0000.params"))) {
      writeNdArrayList(out, params);
    }
  }

  record Array(long[] shape, float[] data) {}

  static void writeNdArrayList(OutputStream out, Map<String, Array> arrays) throws IOException {
    LittleEndian le = new LittleEndian(out);
    le.int64(0x112); // kMXAPINDArrayListMagic
    le.int64(0); // reserved
    le.int64(arrays.size());
    for (Array array : arrays.values()) {
      le.int32(0xF993FAC9); // NDARRAY_V2_MAGIC
      le.int32(0); // dense storage
      le.int32(array.shape().length);
      for (long dim : array.shape()) {
        le.int64(dim);
      }
      le.int32(1); // cpu
      le.int32(0); // device 0
      le.int32(0); // float32
      for (float value : array.data()) {
        le.float32(value);
      }
    }
    le.int64(arrays.size());
    for (String key : arrays.keySet()) {
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      le.int64(bytes.length);
      le.out.write(bytes);
    }
    le.out.flush();
  }

  private static final class LittleEndian {
    final DataOutputStream out;
    private final ByteBuffer buffer = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);

    LittleEndian(OutputStream out) {
      this.out = new DataOutputStream(out);
    }

    void int32(int v) throws IOException {
      out.write(buffer.clear().putInt(v).array(), 0, 4);
    }

    void int64(long v) throws IOException {
      out.write(buffer.clear().putLong(v).array(), 0, 8);
    }

    void float32(float v) throws IOException {
      out.write(buffer.clear().putFloat(v).array(), 0, 4);
    }
  }
}
