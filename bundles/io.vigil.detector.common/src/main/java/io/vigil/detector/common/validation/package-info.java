/**
 * A validation split without defective examples: held-out good images plus synthetic defects
 * (scratches, Perlin stains, cut-paste patches, holes, large faint shades) with their masks, and
 * the image and pixel AUROC of a detector's maps on it. Detectors choose defaults and stop
 * training on it.
 */
@Version("1.3.0")
@Export
package io.vigil.detector.common.validation;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
