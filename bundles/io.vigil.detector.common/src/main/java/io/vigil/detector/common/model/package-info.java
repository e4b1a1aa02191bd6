/**
 * Model directories shared by the detectors: written atomically and never over another model,
 * weights checked by sha256, the backbone a model was trained on looked up and checked, and the
 * model document's shared parts (header, backbone, input, parameters, calibration) read and written.
 */
@Version("1.2.0")
@Export
package io.vigil.detector.common.model;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
