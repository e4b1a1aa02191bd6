/**
 * Networks described engine-neutrally and run as one compiled graph: a model bundle describes its
 * frozen layers as a {@link io.vigil.djl.graph.NetworkGraph} and the engine bundle compiles it to
 * what its engine runs fastest (for MXNet: a symbolic graph in a cached op, with oneDNN fusing
 * convolution, bias, activation and residual adds), instead of running the layers one by one.
 */
@Version("1.1.0")
@Export
package io.vigil.djl.graph;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
