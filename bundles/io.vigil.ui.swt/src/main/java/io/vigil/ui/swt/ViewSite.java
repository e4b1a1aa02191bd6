package io.vigil.ui.swt;

import java.util.concurrent.Executor;
import org.eclipse.swt.widgets.Display;
import org.osgi.annotation.versioning.ProviderType;

/** What the workbench offers a view part. Every method may be called from any thread. */
@ProviderType
public interface ViewSite {

  Display display();

  /**
   * Runs {@code task} on the UI thread soon, unless the part has been disposed by then (the task is
   * then dropped): the safe way for event handlers and background work to update widgets.
   */
  void asyncExec(Runnable task);

  /**
   * Worker threads owned by the workbench window for work that must stay off the UI thread:
   * scoring, reading and writing files, bundle and configuration changes. Interrupted when the
   * window closes.
   */
  Executor background();

  /** Shows {@code message} in the window's status line, prefixed with the view's title. */
  void setStatus(String message);

  /** True once the part was disposed (its view went away or the window closed). */
  boolean isDisposed();
}
