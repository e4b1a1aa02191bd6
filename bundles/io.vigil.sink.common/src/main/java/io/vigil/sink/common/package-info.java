/** What the result sinks share: the result as one JSON object. */
@Version("1.0.0")
@Export
package io.vigil.sink.common;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
