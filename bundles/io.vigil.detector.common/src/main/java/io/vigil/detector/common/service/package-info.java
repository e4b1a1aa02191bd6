/**
 * The OSGi side every detector bundle shares: a trained model as a Detector (name, directory,
 * calibration, batch scoring), its registration as a Detector service and who owns it, and the
 * options ("name", "models") that training and loading take besides the algorithm's settings.
 * The DS components stay in the detector bundles; these are the parts they delegate to.
 */
@Version("2.0.0")
@Export
package io.vigil.detector.common.service;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
