/** Command-line verbs contributed as services (./vigil VERB ...), defined with picocli, and the command line that runs them. */
@Version("2.0.0")
@Export
package io.vigil.api.command;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
