/**
 * Locally aware patch features from a frozen backbone (taps, 3x3 neighbourhood aggregation,
 * levels resized to one grid, optional channel pooling) and the linear resampling that turns a
 * patch-score grid into an anomaly map at the image's size (upsampling, Gaussian smoothing,
 * resizing). Shared by the patch-based detectors; arrays are DJL's engine-neutral NDArray.
 */
@Version("1.1.0")
@Export
package io.vigil.detector.common.features;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
