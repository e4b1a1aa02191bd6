package io.vigil.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkGraph;
import io.vigil.djl.graph.NetworkGraph.Activation;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The compiled graph computes what the same layers compute one by one with DJL's engine-neutral
 * operators: asymmetric (SAME) padding, depthwise groups, ReLU/ReLU6, residual sums, several
 * outputs, with and without oneDNN fusion.
 */
class MxnetNetworkCompilerTest {
  private static MxnetEngineService engine;
  private static NDManager manager;

  @BeforeAll
  static void startEngine() throws Exception {
    engine = new MxnetEngineService(180, "bundled", () -> Engine.getEngine(MxnetEngineService.ENGINE_NAME));
    manager = engine.newManager();
  }

  @AfterAll
  static void closeManager() {
    manager.close();
  }

  @Test
  void fusedAndUnfusedGraphsMatchTheLayersRunOneByOne() throws Exception {
    Random random = new Random(11);
    NDArray stemW = weights(random, 8, 3, 3, 3);
    NDArray stemB = weights(random, 8);
    NDArray dwW = weights(random, 8, 1, 3, 3);
    NDArray dwB = weights(random, 8);
    NDArray projW = weights(random, 8, 8, 1, 1);
    NDArray projB = weights(random, 8);
    NDArray expandW = weights(random, 16, 8, 1, 1);
    NDArray expandB = weights(random, 16);
    NetworkGraph graph = NetworkGraph.builder("data", 3)
        .convolution("stem", "data", stemW, stemB, 2, new int[] {0, 1, 0, 1}, 1, Activation.RELU6)
        .convolution("dw", "stem", dwW, dwB, 1, new int[] {1, 1, 1, 1}, 8, Activation.RELU)
        .convolution("proj", "dw", projW, projB, 1, new int[] {0, 0, 0, 0}, 1, Activation.NONE)
        .sum("out", "proj", "stem")
        .convolution("expand", "out", expandW, expandB, 1, new int[] {0, 0, 0, 0}, 1, Activation.RELU6)
        .output("expand")
        .output("out")
        .build();
    NDArray input = manager.randomNormal(new Shape(2, 3, 16, 16)).mul(2);

    NDArray stem = reference(input, stemW, stemB, 2, new int[] {0, 1, 0, 1}, 1).clip(0, 6);
    NDArray dw = reference(stem, dwW, dwB, 1, new int[] {1, 1, 1, 1}, 8).maximum(0);
    NDArray out = reference(dw, projW, projB, 1, new int[] {0, 0, 0, 0}, 1).add(stem);
    NDArray expand = reference(out, expandW, expandB, 1, new int[] {0, 0, 0, 0}, 1).clip(0, 6);

    for (String optimizeFor : List.of("MKLDNN", "none")) {
      try (CompiledNetwork network = new MxnetNetworkCompiler(engine, optimizeFor).compile(graph)) {
        NDList outputs = network.forward(input);
        assertEquals(2, outputs.size());
        assertClose(expand, outputs.get(0), optimizeFor + " expand");
        assertClose(out, outputs.get(1), optimizeFor + " out");
        // The next run must not overwrite what the first one returned (static allocation).
        network.forward(input.mul(-1));
        assertClose(expand, outputs.get(0), optimizeFor + " expand after a second run");
        NDList batchOfOne = network.forward(input.get("0:1"));
        assertClose(expand.get("0:1"), batchOfOne.get(0), optimizeFor + " after a batch size change");
      }
    }
  }

  @Test
  void poolingResizingConcatenationAndLeakyReluMatchDjlsOperators() throws Exception {
    Random random = new Random(3);
    NDArray w = weights(random, 6, 4, 1, 1);
    NDArray b = weights(random, 6);
    float[][] rows = matrix(random, 10, 5);
    float[][] columns = matrix(random, 12, 6);
    NetworkGraph graph = NetworkGraph.builder("data", 4)
        .averagePool("pooled", "data", 3)
        .convolution("coarse", "data", w, b, 2, new int[4], 1, Activation.NONE)
        .linearResize("resized", "coarse", rows, columns)
        .concat("both", List.of("pooled", "resized"))
        .leakyRelu("out", "both", 0.2f)
        .output("out")
        .build();
    NDArray input = manager.randomNormal(new Shape(2, 4, 10, 12));

    NDArray pooled = ai.djl.nn.pooling.Pool.avgPool2d(
        input, new Shape(3, 3), new Shape(1, 1), new Shape(1, 1), false, true);
    NDArray coarse = reference(input, w, b, 2, new int[4], 1); // (2, 6, 5, 6)
    // Plain 2-D products: rows (10 x 5) on the rows, columns (12 x 6) on the columns.
    NDArray rowsT = manager.create(flat(rows), new Shape(10, 5)).transpose();
    NDArray columnsT = manager.create(flat(columns), new Shape(12, 6)).transpose();
    NDArray tall = coarse.transpose(0, 1, 3, 2).reshape(-1, 5).dot(rowsT).reshape(2, 6, 6, 10).transpose(0, 1, 3, 2);
    NDArray resized = tall.reshape(-1, 6).dot(columnsT).reshape(2, 6, 10, 12);
    NDArray both = pooled.concat(resized, 1);
    NDArray expected = both.maximum(both.mul(0.2f));

    try (CompiledNetwork network = new MxnetNetworkCompiler(engine, "MKLDNN").compile(graph)) {
      assertClose(expected, network.forward(input).singletonOrThrow(), "pool, resize, concat, leaky ReLU");
    }
  }

  @Test
  void stridedPoolingChannelAffineAndSquaredDifferencesMatchDjlsOperators() throws Exception {
    // EfficientAD's pieces: 4x4 convolutions (stride 2 padding 1; padding 2 with the last row and
    // column dropped, i.e. {2, 1, 2, 1}), 2x2 pooling with stride 2 of an odd size, a per-channel
    // affine map, and the squared difference summed over channels by a 1x1 convolution.
    Random random = new Random(5);
    NDArray downW = weights(random, 6, 3, 4, 4);
    NDArray downB = weights(random, 6);
    NDArray lastW = weights(random, 6, 3, 4, 4);
    NDArray lastB = weights(random, 6);
    NDArray sumW = weights(random, 2, 6, 1, 1);
    NDArray sumB = weights(random, 2);
    float[] scale = {0.5f, -2f, 3f};
    float[] shift = {0.5f, 1f, -0.25f};
    NetworkGraph graph = NetworkGraph.builder("data", 3)
        .channelAffine("affine", "data", scale, shift)
        .averagePool("pooled", "affine", 2, 2, 0)
        .convolution("down", "affine", downW, downB, 2, new int[] {1, 1, 1, 1}, 1, Activation.RELU)
        .convolution("last", "pooled", lastW, lastB, 1, new int[] {2, 1, 2, 1}, 1, Activation.NONE)
        .squaredDifference("squared", "down", "last")
        .convolution("summed", "squared", sumW, sumB, 1, new int[4], 1, Activation.NONE)
        // A second operand with an activation: a plain difference (the one above is a fused sum).
        .convolution("other", "pooled", lastW, lastB, 1, new int[] {2, 1, 2, 1}, 1, Activation.RELU)
        .squaredDifference("plain", "down", "other")
        .output("summed")
        .output("pooled")
        .output("plain")
        .build();
    assertEquals(java.util.Set.of("last"), MxnetSymbolJson.negatedConvolutions(graph));
    NDArray input = manager.randomNormal(new Shape(2, 3, 11, 11));

    NDArray affine = input.mul(manager.create(scale).reshape(1, 3, 1, 1)).add(manager.create(shift).reshape(1, 3, 1, 1));
    NDArray pooled = ai.djl.nn.pooling.Pool.avgPool2d(affine, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0),
        false, true); // (2, 3, 5, 5)
    NDArray down = reference(affine, downW, downB, 2, new int[] {1, 1, 1, 1}, 1).maximum(0); // 5x5
    NDArray last = reference(pooled, lastW, lastB, 1, new int[] {2, 2, 2, 2}, 1).get(":, :, :5, :5");
    NDArray summed = reference(down.sub(last).square(), sumW, sumB, 1, new int[4], 1);

    for (String optimizeFor : List.of("MKLDNN", "none")) {
      try (CompiledNetwork network = new MxnetNetworkCompiler(engine, optimizeFor).compile(graph)) {
        NDList outputs = network.forward(input);
        assertClose(summed, outputs.get(0), optimizeFor + " summed squared differences");
        assertClose(pooled, outputs.get(1), optimizeFor + " 2x2 pooling with stride 2");
        assertClose(down.sub(last.maximum(0)).square(), outputs.get(2), optimizeFor + " plain squared difference");
      }
    }
    assertThrows(IllegalArgumentException.class, () -> NetworkGraph.builder("data", 3)
        .channelAffine("a", "data", new float[3], new float[2]));
    assertEquals("data", NetworkGraph.builder("data", 3).inputName());
  }

  @Test
  void nearestRowDistancesMatchANaiveLoop() throws Exception {
    // 7 rows: one chunk; 2050: two chunks of 1025; 4099: four chunks of 1025, the last filled up.
    for (int rows : new int[] {7, 2 * MxnetSymbolJson.CHUNK_ROWS + 2, 4 * MxnetSymbolJson.CHUNK_ROWS + 3}) {
      Random random = new Random(9);
      NDArray bank = weights(random, rows, 4); // rows of dimension 4
      NetworkGraph graph = NetworkGraph.builder("data", 4)
          .nearestRows("distances", "data", bank)
          .output("distances")
          .build();
      float[] x = manager.randomNormal(new Shape(2, 4, 3, 5)).toFloatArray();
      float[] b = bank.toFloatArray();
      // Some cells are bank rows from different chunks (the last row too): their distance is 0.
      int[] planted = {0, rows / 2, rows - 1};
      for (int i = 0; i < planted.length; i++) {
        for (int c = 0; c < 4; c++) {
          x[(1 * 4 + c) * 15 + 3 * i] = b[planted[i] * 4 + c];
        }
      }
      NDArray input = manager.create(x, new Shape(2, 4, 3, 5));
      float[] expected = new float[2 * 3 * 5];
      for (int n = 0; n < 2; n++) {
        for (int cell = 0; cell < 15; cell++) {
          double best = Double.MAX_VALUE;
          for (int e = 0; e < rows; e++) {
            double d = 0;
            for (int c = 0; c < 4; c++) {
              double diff = x[(n * 4 + c) * 15 + cell] - b[e * 4 + c];
              d += diff * diff;
            }
            best = Math.min(best, d);
          }
          expected[n * 15 + cell] = (float) Math.sqrt(best);
        }
      }
      assertEquals(0f, expected[15 + 3], "a planted bank row is its own nearest");
      String what = rows + " rows in " + MxnetSymbolJson.chunks(rows) + " chunks";
      try (CompiledNetwork network = new MxnetNetworkCompiler(engine, "MKLDNN").compile(graph)) {
        NDArray output = network.forward(input).singletonOrThrow();
        assertEquals(new Shape(2, 1, 3, 5), output.getShape(), what);
        float[] actual = output.toFloatArray();
        for (int i = 0; i < planted.length; i++) {
          // The square root of |a|^2 + |b|^2 - 2 a.b's rounding: near zero, not within 1e-4.
          assertTrue(actual[15 + 3 * i] < 1e-2, what + ": planted row " + planted[i] + " at " + actual[15 + 3 * i]);
          actual[15 + 3 * i] = 0f;
        }
        assertClose(manager.create(expected, new Shape(2, 1, 3, 5)), manager.create(actual, new Shape(2, 1, 3, 5)),
            "nearest distances against a naive loop, " + what);
      }
    }
  }

  private static float[][] matrix(Random random, int rows, int columns) {
    float[][] m = new float[rows][columns];
    for (float[] row : m) {
      for (int c = 0; c < columns; c++) {
        row[c] = (float) random.nextGaussian();
      }
    }
    return m;
  }

  private static float[] flat(float[][] m) {
    float[] flat = new float[m.length * m[0].length];
    for (int r = 0; r < m.length; r++) {
      System.arraycopy(m[r], 0, flat, r * m[0].length, m[0].length);
    }
    return flat;
  }

  @Test
  void everyKindOfPaddingGivesTheSameAsExplicitZeros() throws Exception {
    // (b, b + 1) is lowered to a shifted, one-larger kernel; other asymmetric paddings to a Pad operator.
    Random random = new Random(4);
    NDArray w = weights(random, 5, 3, 3, 3);
    NDArray b = weights(random, 5);
    NDArray input = manager.randomNormal(new Shape(2, 3, 9, 10));
    for (int[] padding : new int[][] {{0, 1, 0, 1}, {1, 2, 0, 0}, {0, 1, 1, 1}, {2, 0, 0, 1}, {1, 1, 1, 1}}) {
      for (int stride : new int[] {1, 2}) {
        NetworkGraph graph = NetworkGraph.builder("data", 3)
            .convolution("conv", "data", w, b, stride, padding, 1, Activation.NONE).output("conv").build();
        try (CompiledNetwork network = new MxnetNetworkCompiler(engine, "MKLDNN").compile(graph)) {
          assertClose(reference(input, w, b, stride, padding, 1), network.forward(input).singletonOrThrow(),
              java.util.Arrays.toString(padding) + " stride " + stride);
        }
      }
    }
  }

  @Test
  void onlyTheNodesTheWantedOutputsNeedAreKept() {
    NDArray w = weights(new Random(1), 4, 3, 1, 1);
    NDArray b = weights(new Random(2), 4);
    NetworkGraph graph = NetworkGraph.builder("data", 3)
        .convolution("a", "data", w, b, 1, new int[4], 1, Activation.NONE)
        .convolution("b", "data", w, b, 1, new int[4], 1, Activation.NONE)
        .output("a").output("b").build();
    NetworkGraph onlyA = graph.withOutputs(List.of("a"));
    assertEquals(List.of("data", "a"), onlyA.nodes().stream().map(NetworkGraph.Node::name).toList());
    assertThrows(IllegalArgumentException.class, () -> graph.withOutputs(List.of("c")));
    assertThrows(IllegalArgumentException.class,
        () -> NetworkGraph.builder("data", 3).convolution("x", "nothing", w, b, 1, new int[4], 1, Activation.NONE));
  }

  @Test
  void aClosedNetworkSaysSo() throws Exception {
    NDArray w = weights(new Random(1), 4, 3, 1, 1);
    NDArray b = weights(new Random(2), 4);
    NetworkGraph graph = NetworkGraph.builder("data", 3)
        .convolution("a", "data", w, b, 1, new int[4], 1, Activation.NONE).output("a").build();
    CompiledNetwork network = new MxnetNetworkCompiler(engine, "MKLDNN").compile(graph);
    assertTrue(network.description().contains("MKLDNN"), network.description());
    network.close();
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> network.forward(manager.zeros(new Shape(1, 3, 4, 4))));
    assertTrue(e.getMessage().contains("closed"), e.getMessage());
  }

  private static NDArray reference(NDArray x, NDArray w, NDArray b, int stride, int[] pad, int groups) {
    Shape s = x.getShape();
    NDArray padded = manager.zeros(new Shape(s.get(0), s.get(1), s.get(2) + pad[0] + pad[1], s.get(3) + pad[2] + pad[3]));
    padded.set(new NDIndex(":, :, {}:{}, {}:{}", pad[0], pad[0] + s.get(2), pad[2], pad[2] + s.get(3)), x);
    return Conv2d.conv2d(padded, w, b, new Shape(stride, stride), new Shape(0, 0), new Shape(1, 1), groups)
        .singletonOrThrow();
  }

  private static NDArray weights(Random random, long... shape) {
    Shape s = new Shape(shape);
    float[] values = new float[(int) s.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextGaussian() * 0.5);
    }
    return manager.create(values, s);
  }

  private static void assertClose(NDArray expected, NDArray actual, String what) {
    assertEquals(expected.getShape(), actual.getShape(), what);
    float[] e = expected.toFloatArray();
    float[] a = actual.toFloatArray();
    double worst = 0;
    for (int i = 0; i < e.length; i++) {
      worst = Math.max(worst, Math.abs(e[i] - a[i]));
    }
    assertTrue(worst < 1e-4, what + ": largest difference " + worst);
  }
}
