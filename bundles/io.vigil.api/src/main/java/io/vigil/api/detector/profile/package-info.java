/**
 * Optional descriptions a detector may give of its own computation, so that tools such as
 * {@code ./vigil benchmark} can count its work and split its time into stages without knowing
 * its code. Detectors that do not implement them still work everywhere.
 */
@Version("1.0.0")
@Export
package io.vigil.api.detector.profile;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
