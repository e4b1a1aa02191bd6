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
    String json = MxnetSymbolJson.write(graph);
    NDManager manager = started.newBaseManager();
    try {
      Map<String, NDArray> weights = MxnetSymbolJson.weights(graph, manager);
      Symbol symbol = Symbol.loadJson((MxNDManager) manager, json);
      MxSymbolBlock block = new MxSymbolBlock(manager, symbol);
      boolean fused = backend != null && !backend.isBlank() && !"none".equalsIgnoreCase(backend);
      if (fused) {
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
        throw new IllegalStateException("the compiled graph lost weights " + unbound + "; it has parameters " + unknown);
      }
      String description = "MXNet symbolic graph (" + (graph.nodes().size() - 1) + " layers, "
          + (fused ? backend + " fusion" : "no fusion") + ", static cached op)";
      LOG.debug("compiled {}", description);
      return new MxnetCompiledNetwork(manager, block, description);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** One cached op; MXNet's static allocation is not safe for concurrent calls, so calls take turns. */
  private static final class MxnetCompiledNetwork implements CompiledNetwork {
    private final NDManager manager;
    private final MxSymbolBlock block;
    private final String description;

    MxnetCompiledNetwork(NDManager manager, MxSymbolBlock block, String description) {
      this.manager = manager;
      this.block = block;
      this.description = description;
    }

    @Override
    public synchronized NDList forward(NDArray input) {
      if (!manager.isOpen()) {
        throw new IllegalStateException("the compiled network is closed");
      }
      return block.forward(new ParameterStore(input.getManager(), false), new NDList(input), false);
    }

    @Override
    public String description() {
      return description;
    }

    @Override
    public synchronized void close() {
      manager.close();
    }
  }
}
