/**
 * The SWT workbench's contract: views contributed as services by any bundle, and the workbench
 * window that shows them. SWT-specific, so it lives here and not in {@code io.vigil.api}.
 */
@Version("1.0.0")
@Export
package io.vigil.ui.swt;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
