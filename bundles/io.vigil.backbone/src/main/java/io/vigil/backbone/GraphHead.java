package io.vigil.backbone;

import io.vigil.djl.graph.NetworkGraph;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A detector's layers after the backbone's taps, added to the backbone's compiled graph so that
 * taps and head run as one graph ({@link Backbone#compile}).
 *
 * @since 1.2
 */
@ConsumerType
@FunctionalInterface
public interface GraphHead {

  /**
   * Adds the head's nodes and at least one output.
   *
   * @param graph    the backbone's graph so far
   * @param tapNodes the graph's node for each tap asked, in that order
   */
  void addTo(NetworkGraph.Builder graph, List<String> tapNodes);
}
