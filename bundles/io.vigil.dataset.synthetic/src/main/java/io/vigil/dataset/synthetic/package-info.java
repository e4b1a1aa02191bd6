/** A deterministic generator of a small MVTec-layout data set, the data the demo runs on when none is given. */
@Version("1.1.0")
@Export
package io.vigil.dataset.synthetic;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
