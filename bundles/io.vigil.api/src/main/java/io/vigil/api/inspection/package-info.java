/** The station loop's results, the sinks that receive them and the station's status. */
@Version("1.3.0")
@Export
package io.vigil.api.inspection;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
