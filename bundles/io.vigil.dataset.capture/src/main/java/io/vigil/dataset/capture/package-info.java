/**
 * Writing captured frames into an MVTec AD data set: the numbered, never-overwriting image folder
 * and the capture.csv log. Used by {@code ./vigil capture} and the capture view.
 */
@Version("1.0.0")
@Export
package io.vigil.dataset.capture;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
