/**
 * The plumbing of a detector's training run: reading the good images from a source, progress
 * with elapsed time and ETA, cancellation.
 */
@Version("1.1.0")
@Export
package io.vigil.detector.common.training;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
