/** Image sources: finite labelled data sets and live streams (folders, cameras). */
@Version("1.1.0")
@Export
package io.vigil.api.source;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
