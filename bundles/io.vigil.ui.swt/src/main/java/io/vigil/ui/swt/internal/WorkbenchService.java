package io.vigil.ui.swt.internal;

import io.vigil.ui.swt.Workbench;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.swt.SWTError;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.widgets.Display;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The workbench: one window at a time, run on the thread that calls {@link #run}. */
@Component(service = Workbench.class)
public class WorkbenchService implements Workbench {
  private static final Logger LOG = LoggerFactory.getLogger(WorkbenchService.class);
  private static final long CLOSE_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(10);

  private final BundleContext context;
  private final Object lock = new Object();
  /** Guarded by lock: the open window and its display, null when none is open. */
  private WorkbenchWindow window;
  private Display display;

  @Activate
  public WorkbenchService(BundleContext context) {
    this.context = context;
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    close();
    // Let the UI thread dispose the views and the display before SWT's bundle may go.
    synchronized (lock) {
      long deadline = System.currentTimeMillis() + CLOSE_WAIT_MILLIS;
      while (window != null && display != null && display.getThread() != Thread.currentThread()) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          LOG.warn("The workbench window did not close within {} ms", CLOSE_WAIT_MILLIS);
          break;
        }
        lock.wait(left);
      }
    }
  }

  @Override
  public void run(Options options) throws IOException, TimeoutException, InterruptedException {
    synchronized (lock) {
      if (window != null) {
        throw new IllegalStateException("a workbench window is already open on thread " + display.getThread().getName());
      }
    }
    Display existing = Display.findDisplay(Thread.currentThread());
    Display current = existing != null ? existing : openDisplay();
    ScreenshotRun screenshot = null;
    try {
      WorkbenchWindow opened = new WorkbenchWindow(context, current, options.initialView());
      synchronized (lock) {
        window = opened;
        display = current;
      }
      if (options.screenshot() != null) {
        screenshot = new ScreenshotRun(context, this, options.screenshot(), options.screenshotAfterResults(),
            options.timeout());
        screenshot.start();
      }
      opened.open();
      opened.runLoop();
      opened.close();
    } finally {
      synchronized (lock) {
        window = null;
        display = null;
        lock.notifyAll();
      }
      if (screenshot != null) {
        screenshot.stop();
      }
      if (existing == null && !current.isDisposed()) {
        current.dispose();
      }
    }
    if (screenshot != null) {
      screenshot.rethrowFailure();
    }
  }

  private static Display openDisplay() throws IOException {
    try {
      Display.setAppName(WorkbenchWindow.TITLE);
      return new Display();
    } catch (SWTError | SWTException e) {
      throw new IOException("cannot open a display (DISPLAY=" + System.getenv("DISPLAY") + "): " + e.getMessage()
          + ". Without a screen, run under a virtual one: xvfb-run -a ./vigil ...", e);
    } catch (LinkageError e) {
      throw new IOException("SWT cannot load GTK 3 (" + e.getMessage() + "); install it: apt-get install libgtk-3-0", e);
    }
  }

  @Override
  public Optional<Display> display() {
    synchronized (lock) {
      return Optional.ofNullable(display);
    }
  }

  @Override
  public void showView(String viewId) {
    onWindow(open -> open.select(viewId));
  }

  @Override
  public void close() {
    onWindow(WorkbenchWindow::close);
  }

  @Override
  public void screenshot(Path file) throws IOException, InterruptedException {
    ImageDataPng.write(capture(), file);
  }

  /** The open window's pixels, taken on the UI thread. */
  ImageData capture() throws IOException {
    return onWindowAndWait(WorkbenchWindow::capture, "capture");
  }

  /** The open window's tab titles, left to right. */
  List<String> tabTitles() throws IOException {
    return onWindowAndWait(WorkbenchWindow::tabTitles, "list tabs");
  }

  boolean isOpen() {
    synchronized (lock) {
      return window != null;
    }
  }

  private void onWindow(java.util.function.Consumer<WorkbenchWindow> action) {
    WorkbenchWindow open;
    Display current;
    synchronized (lock) {
      open = window;
      current = display;
    }
    if (open == null || current.isDisposed()) {
      return;
    }
    try {
      current.asyncExec(() -> action.accept(open));
    } catch (SWTException e) {
      // Disposed meanwhile: nothing left to act on.
    }
  }

  private <T> T onWindowAndWait(java.util.function.Function<WorkbenchWindow, T> action, String what)
      throws IOException {
    WorkbenchWindow open;
    Display current;
    synchronized (lock) {
      open = window;
      current = display;
    }
    if (open == null) {
      throw new IOException("cannot " + what + ": no workbench window is open");
    }
    if (current.getThread() == Thread.currentThread()) {
      return action.apply(open);
    }
    AtomicReference<T> result = new AtomicReference<>();
    try {
      current.syncExec(() -> {
        if (!open.isClosed()) {
          result.set(action.apply(open));
        }
      });
    } catch (SWTException e) {
      throw new IOException("cannot " + what + ": the window closed", e);
    }
    if (result.get() == null) {
      throw new IOException("cannot " + what + ": the window closed");
    }
    return result.get();
  }
}
