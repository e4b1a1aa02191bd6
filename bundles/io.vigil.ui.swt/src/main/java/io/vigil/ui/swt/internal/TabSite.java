package io.vigil.ui.swt.internal;

import io.vigil.ui.swt.ViewSite;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The site of one view part in one window. */
final class TabSite implements ViewSite {
  private static final Logger LOG = LoggerFactory.getLogger(TabSite.class);

  private final Display display;
  private final Executor background;
  private final String title;
  private final Consumer<String> statusLine;
  private volatile boolean disposed;

  TabSite(Display display, Executor background, String title, Consumer<String> statusLine) {
    this.display = display;
    this.background = background;
    this.title = title;
    this.statusLine = statusLine;
  }

  @Override
  public Display display() {
    return display;
  }

  @Override
  public void asyncExec(Runnable task) {
    if (disposed || display.isDisposed()) {
      return;
    }
    try {
      display.asyncExec(() -> {
        if (disposed) {
          return;
        }
        try {
          task.run();
        } catch (RuntimeException e) {
          LOG.error("View '{}' failed on the UI thread", title, e);
        }
      });
    } catch (SWTException e) {
      // The display went away between the check and the call: the window is closing.
    }
  }

  @Override
  public Executor background() {
    return background;
  }

  @Override
  public void setStatus(String message) {
    asyncExec(() -> statusLine.accept(title + ": " + message));
  }

  @Override
  public boolean isDisposed() {
    return disposed;
  }

  void markDisposed() {
    disposed = true;
  }
}
