package io.vigil.djl.internal;

import ai.djl.engine.Engine;
import ai.djl.mxnet.engine.MxNDManager;
import ai.djl.mxnet.engine.MxSymbolBlock;
import ai.djl.mxnet.engine.Symbol;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkCompiler;
import io.vigil.djl.graph.NetworkGraph;
import java.util.HashMap;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Compiles a {@link NetworkGraph} to an MXNet symbol and runs it as one cached op (static
 * memory), partitioned for oneDNN so that convolution + bias + activation (+ residual sum) run as
 * one primitive in oneDNN's blocked layout: operator by operator, every layer reorders its input
 * and output between the plain and the blocked layout, which costs more than a depthwise layer's
 * arithmetic.
 */
@Component(name = "io.vigil.djl.graph", configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = GraphConfiguration.class)
public class MxnetNetworkCompiler implements NetworkCompiler {
  private static final Logger LOG = LoggerFactory.getLogger(MxnetNetworkCompiler.class);

  private final DeepLearningEngine engine;
  private volatile String optimizeFor;

  @Activate
  public MxnetNetworkCompiler(@Reference DeepLearningEngine engine, GraphConfiguration configuration) {
    this(engine, configuration.optimize_for());
  }

  /** With oneDNN fusion, as configured by default; for tests outside OSGi. */
  public MxnetNetworkCompiler(DeepLearningEngine engine) {
    this(engine, "MKLDNN");
  }

  MxnetNetworkCompiler(DeepLearningEngine engine, String optimizeFor) {
    this.engine = engine;
    this.optimizeFor = optimizeFor;
  }

  @Modified
  void modified(GraphConfiguration configuration) {
    this.optimizeFor = configuration.optimize_for();
  }

  @Override
  public CompiledNetwork compile(NetworkGraph full) throws EngineUnavailableException {
    NetworkGraph graph = full.withOutputs(full.outputs()); // MXNet drops layers no output needs
    Engine started = engine.engine();
    String backend = optimizeFor;
    boolean fused = backend != null && !backend.isBlank() && !"none".equalsIgnoreCase(backend);
    String json = MxnetSymbolJson.write(graph);
    NDManager manager = started.newBaseManager();
    try {
      Map<String, NDArray> weights = MxnetSymbolJson.weights(graph, manager);
      String description = "MXNet symbolic graph (" + (graph.nodes().size() - 1) + " layers, "
          + (fused ? backend + " fusion" : "no fusion") + ", static cached op per batch size)";
      MxnetCompiledNetwork network = new MxnetCompiledNetwork(manager, () -> block(manager, json, weights,
          fused ? backend : null), description);
      network.blockFor(1); // fails here, not at the first frame, when MXNet cannot take the graph
      LOG.debug("compiled {}", description);
      return network;
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /**
   * One cached op of the graph on a sub-manager of its own (closing it frees the op and its
   * static memory), sharing the compiled network's weights.
   */
  private static Plan block(NDManager parent, String json, Map<String, NDArray> weights, String backend) {
    NDManager manager = parent.newSubManager();
    Symbol symbol = Symbol.loadJson((MxNDManager) manager, json);
    MxSymbolBlock block = new MxSymbolBlock(manager, symbol);
    if (backend != null) {
      block.optimizeFor(backend);
    }
    java.util.Set<String> unbound = new java.util.LinkedHashSet<>(weights.keySet());
    java.util.List<String> unknown = new java.util.ArrayList<>();
    for (Parameter parameter : block.getAllParameters()) {
      NDArray value = weights.get(parameter.getName());
      if (value != null) {
        parameter.setArray(value);
        unbound.remove(parameter.getName());
      } else {
        unknown.add(parameter.getName());
      }
    }
    if (!unbound.isEmpty()) {
      manager.close();
      throw new IllegalStateException("the compiled graph lost weights " + unbound + "; it has parameters " + unknown);
    }
    return new Plan(manager, block);
  }

  /** A cached op and the manager that frees it. */
  private record Plan(NDManager manager, MxSymbolBlock block) {}

  /**
   * One static cached op per batch size: MXNet plans a static cached op's memory for one input
   * shape and plans again, slowly, whenever the shape changes, which the station's varying batches
   * (1 to max.batch) would do frame after frame. Calls take turns: static memory is not safe for
   * concurrent runs.
   */
  private static final class MxnetCompiledNetwork implements CompiledNetwork {
    /** Batch sizes kept; the least recently used beyond this is dropped (a station sees few). */
    private static final int KEPT_BATCH_SIZES = 8;

    private final NDManager manager;
    private final java.util.function.Supplier<Plan> newBlock;
    private final String description;
    private final Map<Long, Plan> blocks = new java.util.LinkedHashMap<>(16, 0.75f, true);

    MxnetCompiledNetwork(NDManager manager, java.util.function.Supplier<Plan> newBlock, String description) {
      this.manager = manager;
      this.newBlock = newBlock;
      this.description = description;
    }

    synchronized MxSymbolBlock blockFor(long batch) {
      Plan plan = blocks.get(batch);
      if (plan == null) {
        plan = newBlock.get();
        blocks.put(batch, plan);
        if (blocks.size() > KEPT_BATCH_SIZES) {
          Long eldest = blocks.keySet().iterator().next();
          blocks.remove(eldest).manager().close();
        }
      }
      return plan.block();
    }

    @Override
    public synchronized NDList forward(NDArray input) {
      if (!manager.isOpen()) {
        throw new IllegalStateException("the compiled network is closed");
      }
      MxSymbolBlock block = blockFor(input.getShape().get(0));
      return block.forward(new ParameterStore(input.getManager(), false), new NDList(input), false);
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public synchronized void close() {
      blocks.clear();
      manager.close();
    }
  }
}
