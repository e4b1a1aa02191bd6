package io.vigil.ui.swt.internal;

import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.swt.SWT;
import org.eclipse.swt.custom.CTabFolder;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.osgi.framework.BundleContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workbench's shell: a tab per view and a status line. Created, run and disposed on the UI
 * thread; other threads reach it through {@link Display#asyncExec}/{@link Display#syncExec}.
 */
final class WorkbenchWindow {
  private static final Logger LOG = LoggerFactory.getLogger(WorkbenchWindow.class);
  static final String TITLE = "Vigil";

  private final Display display;
  private final Shell shell;
  private final CTabFolder folder;
  private final Label statusLine;
  private final ExecutorService background;
  private final ViewTabs tabs;
  private boolean viewsClosed;

  WorkbenchWindow(BundleContext context, Display display, String initialView) {
    this.display = display;
    this.background = Executors.newCachedThreadPool(new NamedThreads("vigil-ui-worker-"));
    shell = new Shell(display, SWT.SHELL_TRIM);
    shell.setText(TITLE);
    GridLayout layout = new GridLayout(1, false);
    layout.marginWidth = 0;
    layout.marginHeight = 0;
    layout.verticalSpacing = 2;
    shell.setLayout(layout);
    folder = new CTabFolder(shell, SWT.TOP | SWT.BORDER);
    folder.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    folder.setTabHeight(28);
    statusLine = new Label(shell, SWT.NONE);
    statusLine.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    statusLine.setText("Ready");
    tabs = new ViewTabs(context, folder, background, this::setStatus, initialView);
    // Parts are disposed while their widgets still exist: on Close, before the shell goes.
    shell.addListener(SWT.Close, event -> closeViews());
    shell.addListener(SWT.Dispose, event -> closeViews());
    shell.setSize(1280, 800);
  }

  /** Opens the shell and starts tracking views. UI thread. */
  void open() {
    shell.open();
    tabs.open();
  }

  /** Runs the event loop until the shell is disposed or the thread is interrupted. UI thread. */
  void runLoop() {
    while (!shell.isDisposed()) {
      if (Thread.currentThread().isInterrupted()) {
        shell.close();
        break;
      }
      try {
        if (!display.readAndDispatch()) {
          display.sleep();
        }
      } catch (RuntimeException e) {
        // A view's bug must not take the whole window down.
        LOG.error("Unhandled error on the UI thread", e);
      }
    }
  }

  /** Closes the shell (its views first). UI thread. */
  void close() {
    if (!shell.isDisposed()) {
      shell.close();
      if (!shell.isDisposed()) {
        shell.dispose();
      }
    }
  }

  boolean isClosed() {
    return shell.isDisposed();
  }

  void select(String viewId) {
    if (!shell.isDisposed()) {
      tabs.select(viewId);
    }
  }

  List<String> tabTitles() {
    return tabs.titles();
  }

  /** The window's pixels as they are now. UI thread. */
  ImageData capture() {
    // Paint everything that is pending first, so the capture shows the latest state.
    shell.layout(true, true);
    shell.update();
    Point size = shell.getSize();
    Image image = new Image(display, size.x, size.y);
    try {
      GC gc = new GC(image);
      try {
        shell.print(gc);
      } finally {
        gc.dispose();
      }
      return image.getImageData();
    } finally {
      image.dispose();
    }
  }

  void setStatus(String message) {
    if (!statusLine.isDisposed()) {
      statusLine.setText(message);
    }
  }

  private void closeViews() {
    if (viewsClosed) {
      return;
    }
    viewsClosed = true;
    tabs.close();
    background.shutdownNow();
  }

  /** Daemon threads with a common prefix and a number. */
  static final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger next = new AtomicInteger(1);

    NamedThreads(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
      Thread thread = new Thread(task, prefix + next.getAndIncrement());
      thread.setDaemon(true);
      return thread;
    }
  }
}
