/** Evaluation runs: a trained model scored on a labelled test split, with metrics and reports. */
@Version("1.0.0")
@Export
package io.vigil.api.evaluation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
