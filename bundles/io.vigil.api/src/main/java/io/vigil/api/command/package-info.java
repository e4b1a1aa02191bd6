/** Command-line verbs contributed as services (./vigil VERB ...). */
@Version("1.0.0")
@Export
package io.vigil.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
