package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.Tap;
import io.vigil.djl.EngineUnavailableException;
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.djl.graph.NetworkCompiler;
import io.vigil.djl.graph.NetworkGraph;
import io.vigil.backbone.GraphHead;
import java.util.Optional;
import ai.djl.ndarray.types.Shape;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/** A loaded MobileNetV2: the block, its weights' manager and the class labels. */
final class MobileNetV2Backbone implements Backbone {
  /** Expansion outputs at stride 8 (28x28x192 at 224) and 16 (14x14x576): rich, local features. */
  static final List<String> DEFAULT_TAPS = List.of("block_6_expand", "block_13_expand");

  private static final Logger LOG = LoggerFactory.getLogger(MobileNetV2Backbone.class);

  private final NDManager weightsManager;
  private final MobileNetV2 network;
  private final String weightsSha256;
  private final List<String> labels;
  private final NetworkCompiler compiler;
  /** Compiled graphs by taps and input size (SAME padding depends on the size); closed with the backbone. */
  private final Map<GraphKey, CompiledNetwork> compiled = new ConcurrentHashMap<>();
  private volatile boolean compileFailed;

  /**
   * @param compiler runs the wanted layers as one compiled graph; null: layer by layer
   */
  MobileNetV2Backbone(
      NDManager weightsManager, MobileNetV2 network, String weightsSha256, List<String> labels,
      NetworkCompiler compiler) {
    this.weightsManager = weightsManager;
    this.network = network;
    this.weightsSha256 = weightsSha256;
    this.labels = List.copyOf(labels);
    this.compiler = compiler;
  }

  private record GraphKey(List<String> taps, long height, long width) {}

  @Override
  public String name() {
    return MobileNetV2Factory.NAME;
  }

  @Override
  public String weightsSha256() {
    return weightsSha256;
  }

  @Override
  public List<Tap> taps() {
    return new ArrayList<>(network.taps().values());
  }

  @Override
  public List<String> defaultTaps() {
    return DEFAULT_TAPS;
  }

  @Override
  public int nativeInputSize() {
    return 224;
  }

  @Override
  public NDList features(NDArray rgb, List<String> taps) {
    CompiledNetwork graph = compiledFor(rgb, taps);
    if (graph != null) {
      return graph.forward(normalize(rgb));
    }
    return layerByLayer(rgb, taps);
  }

  /** The reference path: DJL blocks run one operator at a time. */
  NDList layerByLayer(NDArray rgb, List<String> taps) {
    Map<String, NDArray> outputs = network.run(store(rgb), normalize(rgb), new LinkedHashSet<>(taps), false);
    NDList features = new NDList(taps.size());
    for (String tap : taps) {
      features.add(outputs.get(tap));
    }
    return features;
  }

  @Override
  public long flops(List<String> taps, int height, int width) {
    return network.flops(new LinkedHashSet<>(taps), height, width);
  }

  @Override
  public NDArray classProbabilities(NDArray rgb) {
    return network.run(store(rgb), normalize(rgb), java.util.Set.of(), true).get("logits").softmax(1);
  }

  @Override
  public List<String> classLabels() {
    return labels;
  }

  @Override
  public Optional<CompiledNetwork> compile(List<String> taps, int height, int width, GraphHead head) {
    if (compiler == null || compileFailed) {
      return Optional.empty();
    }
    NetworkGraph.Builder graph = network.layersFromRgb(taps, height, width);
    head.addTo(graph, taps);
    CompiledNetwork compiled;
    try {
      compiled = compiler.compile(graph.build());
    } catch (EngineUnavailableException e) {
      LOG.warn("MobileNetV2 and its head run layer by layer (slower): {}", e.getMessage());
      return Optional.empty();
    }
    return Optional.of(new CompiledNetwork() {
      @Override
      public NDList forward(NDArray rgb) {
        checkRgb(rgb);
        return compiled.forward(rgb); // normalised in the graph
      }

      @Override
      public String description() {
        return compiled.description();
      }

      @Override
      public void close() {
        compiled.close();
      }
    });
  }

  /** How features run, for logs and the benchmark. */
  String execution() {
    CompiledNetwork any = compiled.values().stream().findFirst().orElse(null);
    if (compiler == null || compileFailed) {
      return "DJL blocks, layer by layer";
    }
    return any == null ? "compiled graph (not compiled yet)" : any.description();
  }

  private CompiledNetwork compiledFor(NDArray rgb, List<String> taps) {
    if (compiler == null || compileFailed) {
      return null;
    }
    Shape shape = rgb.getShape();
    if (shape.dimension() != 4) {
      return null; // normalize() gives the error
    }
    GraphKey key = new GraphKey(List.copyOf(taps), shape.get(2), shape.get(3));
    CompiledNetwork graph = compiled.get(key);
    if (graph != null) {
      return graph;
    }
    synchronized (compiled) {
      graph = compiled.get(key);
      if (graph == null && !compileFailed) {
        try {
          graph = compiler.compile(network.graph(key.taps(), key.height(), key.width()));
          compiled.put(key, graph);
          LOG.info("MobileNetV2 up to {} at {}x{}: {}", taps, key.height(), key.width(), graph.description());
        } catch (EngineUnavailableException | RuntimeException e) {
          compileFailed = true;
          LOG.warn("MobileNetV2 runs layer by layer (slower): the graph did not compile: {}", e.getMessage());
        }
      }
      return graph;
    }
  }

  @Override
  public void close() {
    synchronized (compiled) {
      compiled.values().forEach(CompiledNetwork::close);
      compiled.clear();
    }
    weightsManager.close();
  }

  /** MobileNetV2 was trained on x / 127.5 - 1, i.e. [0, 1] mapped to [-1, 1]. */
  private static NDArray normalize(NDArray rgb) {
    checkRgb(rgb);
    return rgb.mul(2f).subi(1f);
  }

  private static void checkRgb(NDArray rgb) {
    if (rgb.getShape().dimension() != 4 || rgb.getShape().get(1) != 3) {
      throw new IllegalArgumentException("expected (N, 3, H, W) RGB, got " + rgb.getShape());
    }
  }

  private static ParameterStore store(NDArray input) {
    return new ParameterStore(input.getManager(), false);
  }
}
