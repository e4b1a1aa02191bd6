/**
 * A detector's settings as a map of names to values (configuration, command line, model
 * metadata): overrides checked against the known names, values read leniently (numbers from
 * text, whole numbers from doubles) and refused with a message that names the setting.
 */
@Version("1.0.0")
@Export
package io.vigil.detector.common.settings;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
