/** Evaluation metrics over scored, labelled frames. */
@Version("1.2.0")
@Export
package io.vigil.api.metric;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
