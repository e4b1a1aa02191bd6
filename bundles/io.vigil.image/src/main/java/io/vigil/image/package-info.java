/** Image files to and from Vigil {@link io.vigil.api.image.Image}s and masks, and
 * listed data set items to frames: a library package, no services. */
@Version("1.3.0")
@Export
package io.vigil.image;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
