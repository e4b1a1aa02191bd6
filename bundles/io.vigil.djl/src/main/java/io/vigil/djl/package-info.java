/**
 * The deep learning engine as an OSGi service. Model bundles use DJL's engine-neutral API
 * ({@code ai.djl.*}, exported by this bundle) and get the started engine from
 * {@link io.vigil.djl.DeepLearningEngine}; none of them sees the engine implementation.
 */
@Version("1.1.0")
@Export
package io.vigil.djl;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
