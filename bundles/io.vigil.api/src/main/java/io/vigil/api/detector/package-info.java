/** Anomaly detectors, the factories that train and load them, and their results. */
@Version("1.0.0")
@Export
package io.vigil.api.detector;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
