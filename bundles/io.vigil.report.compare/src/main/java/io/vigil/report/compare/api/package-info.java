/**
 * Comparing models' evaluations: read an evaluation folder's figures and image ROC, and write the
 * self-contained HTML comparison report that {@code ./vigil compare} writes.
 */
@Version("1.0.0")
@Export
package io.vigil.report.compare.api;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
