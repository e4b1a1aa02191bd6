/** Pixels, frames and ground truth exchanged between all Vigil bundles. */
@Version("1.0.0")
@Export
package io.vigil.api.image;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
