/**
 * Calibration of a detector's raw scores on good images it was not trained on: the held-out
 * split, median/standard-deviation normalisation and the quantile threshold.
 */
@Version("1.0.0")
@Export
package io.vigil.detector.common.calibration;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
