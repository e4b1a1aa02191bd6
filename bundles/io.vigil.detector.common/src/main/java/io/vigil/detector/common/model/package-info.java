/**
 * Model directories shared by the detectors: written atomically and never over another model,
 * weights checked by sha256, the backbone a model was trained on looked up and checked.
 */
@Version("1.0.0")
@Export
package io.vigil.detector.common.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
