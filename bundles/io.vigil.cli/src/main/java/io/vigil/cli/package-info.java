/** What every command shares on the console: the progress bar and error messages. */
@Version("1.0.0")
@Export
package io.vigil.cli;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
