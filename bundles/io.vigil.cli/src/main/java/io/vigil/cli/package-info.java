/** What every command shares on the console: the progress bar, error messages and loading a saved model. */
@Version("1.1.0")
@Export
package io.vigil.cli;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
