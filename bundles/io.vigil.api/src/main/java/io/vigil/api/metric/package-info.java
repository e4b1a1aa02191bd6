/** Evaluation metrics over scored, labelled frames. */
@Version("1.1.0")
@Export
package io.vigil.api.metric;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
