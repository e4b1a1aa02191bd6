package io.vigil.djl.graph;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import org.osgi.annotation.versioning.ProviderType;

/** A {@link NetworkGraph} ready to run; holds its own copy of the weights until closed. */
@ProviderType
public interface CompiledNetwork extends AutoCloseable {

  /**
   * Runs the network on (N, C, H, W) float32 input.
   *
   * @return the graph's outputs in its order, attached to the input's manager
   */
  NDList forward(NDArray input);

  /** One line for logs, e.g. "MXNet symbolic graph, 112 nodes, oneDNN fused". */
  String description();

  @Override
  void close();
}
