package io.vigil.djl.graph;

import io.vigil.djl.EngineUnavailableException;
import org.osgi.annotation.versioning.ProviderType;

/** Compiles network graphs for the engine this bundle runs. An OSGi service. */
@ProviderType
public interface NetworkCompiler {

  /**
   * Compiles the graph; the weights are copied, so the caller may close them afterwards.
   *
   * @throws EngineUnavailableException when the engine did not start
   * @throws IllegalArgumentException when the engine cannot express a node
   */
  CompiledNetwork compile(NetworkGraph graph) throws EngineUnavailableException;
}
