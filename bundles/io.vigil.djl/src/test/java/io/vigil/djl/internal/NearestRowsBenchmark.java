package io.vigil.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxOpParams;
import ai.djl.mxnet.jna.JnaUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkGraph;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Prints where the compiled nearest-row search ({@link NetworkGraph.NearestRows}) spends its time:
 * the matrix product, the reductions MXNet offers over the products (min, topk, max pooling) and
 * a plain copy of the products (memory traffic), each into preallocated arrays, then the compiled
 * node. Wall and process CPU time per image; CPU time is steadier on a shared machine. Not a test
 * (no assertion, not run by default):
 *
 * <pre>
 * nice -n 15 ./mvnw -B -o test -pl bundles/io.vigil.djl -Dtest=NearestRowsBenchmark \
 *   -Dsurefire.failIfNoSpecifiedTests=false [-Dbench.rows=5412 -Dbench.dimension=128 -Dbench.batch=8]
 * </pre>
 */
class NearestRowsBenchmark {
  private static final int RUNS = 10;

  @Test
  void printTimings() throws Exception {
    EngineSettings.apply("", true, 0);
    String blas = EngineSettings.applyBlas("system", "", MxnetEngineService.class.getClassLoader(), System::getenv,
        SystemBlasFolder.SEARCHED, EngineSettings::tryLoad);
    MxnetEngineService engine = new MxnetEngineService(180, blas, () -> Engine.getEngine(MxnetEngineService.ENGINE_NAME));
    int k = Integer.getInteger("bench.rows", 5412);
    int d = Integer.getInteger("bench.dimension", 128);
    int n = Integer.getInteger("bench.batch", 8);
    int cells = n * 28 * 28;
    try (NDManager m = engine.newManager()) {
      System.out.println(engine.description());
      System.out.printf("%d rows x %d dimensions, batch %d at 28x28 cells%n", k, d, n);
      MxNDManager mx = (MxNDManager) m;
      NDArray bank = m.randomNormal(new Shape(k, d));
      NDArray bias = m.randomNormal(new Shape(k));
      NDArray grid = m.randomNormal(new Shape(n, d, 28, 28));
      NDArray queries = grid.transpose(0, 2, 3, 1).reshape(cells, d).duplicate();
      NDArray square = m.randomNormal(new Shape(2048, 2048));
      NDArray squareOut = m.zeros(new Shape(2048, 2048));
      double gemm = time("dot 2048x2048x2048", 1, () -> mx.invoke("dot", new NDList(square, square), new NDList(squareOut), null));
      System.out.printf("  %.1f GFLOP/s%n", 2.0 * 2048 * 2048 * 2048 / gemm / 1e6);

      NDArray products = m.zeros(new Shape(cells, k));
      MxOpParams dense = new MxOpParams();
      dense.addParam("num_hidden", k);
      double product = time("FullyConnected (cells, d) x (d, rows)", n,
          () -> mx.invoke("FullyConnected", new NDList(queries, bank, bias), new NDList(products), dense));
      System.out.printf("  %.1f GFLOP/s%n", 2.0 * cells * k * d / product / 1e6);
      NDArray smallest = m.zeros(new Shape(cells, 1));
      MxOpParams lastAxis = new MxOpParams();
      lastAxis.addParam("axis", 1);
      lastAxis.addParam("keepdims", "True");
      time("min over the rows", n, () -> mx.invoke("min", new NDList(products), new NDList(smallest), lastAxis));
      MxOpParams topk = new MxOpParams();
      topk.addParam("axis", -1);
      topk.addParam("k", 1);
      topk.addParam("ret_typ", "value");
      topk.addParam("is_ascend", "True");
      time("topk k=1 over the rows", n, () -> mx.invoke("topk", new NDList(products), new NDList(smallest), topk));
      NDArray planes = products.reshape(cells, 1, k, 1);
      NDArray pooled = m.zeros(new Shape(cells, 1, 1, 1));
      MxOpParams pool = new MxOpParams();
      pool.addParam("kernel", "(" + k + ", 1)");
      pool.addParam("global_pool", "True");
      pool.addParam("pool_type", "max");
      time("max pooling over the rows", n, () -> mx.invoke("Pooling", new NDList(planes), new NDList(pooled), pool));
      NDArray half = m.zeros(new Shape(cells, k / 2));
      NDArray half2 = m.randomNormal(new Shape(cells, k / 2));
      NDArray halfOut = m.zeros(new Shape(cells, k / 2));
      time("elementwise minimum of two halves", n,
          () -> mx.invoke("_minimum", new NDList(half, half2), new NDList(halfOut), null));
      NDArray quarter = m.zeros(new Shape(cells, k / 4));
      time("topk k=1 over a quarter of the rows", n, () -> mx.invoke("topk", new NDList(quarter), new NDList(smallest), topk));
      NDArray copy = m.zeros(new Shape(cells, k));
      time("copy of the products", n, () -> mx.invoke("_copy", new NDList(products), new NDList(copy), null));

      NetworkGraph graph = NetworkGraph.builder("data", d).nearestRows("nearest", "data", bank).output("nearest").build();
      try (CompiledNetwork network = new MxnetNetworkCompiler(engine).compile(graph)) {
        time("compiled NearestRows node", n, () -> network.forward(grid).close());
      }
    }
  }

  /** Median wall time in ms of {@link #RUNS} runs after two warm-ups; prints it and the CPU time, per image. */
  private static double time(String label, int images, Runnable body) {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    body.run();
    body.run();
    JnaUtils.waitAll();
    double[] wall = new double[RUNS];
    double[] cpu = new double[RUNS];
    for (int i = 0; i < RUNS; i++) {
      long start = System.nanoTime();
      long cpuStart = os.getProcessCpuTime();
      body.run();
      JnaUtils.waitAll();
      wall[i] = (System.nanoTime() - start) / 1e6;
      cpu[i] = (os.getProcessCpuTime() - cpuStart) / 1e6;
    }
    Arrays.sort(wall);
    Arrays.sort(cpu);
    System.out.printf("%-40s wall %8.2f ms (%6.2f per image), CPU %6.2f ms per image%n",
        label, wall[RUNS / 2], wall[RUNS / 2] / images, cpu[RUNS / 2] / images);
    return wall[RUNS / 2];
  }
}
