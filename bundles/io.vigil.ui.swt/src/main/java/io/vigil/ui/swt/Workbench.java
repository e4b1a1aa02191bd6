package io.vigil.ui.swt;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.eclipse.swt.widgets.Display;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The workbench window, registered as a service by {@code io.vigil.ui.swt}: a shell whose tabs are
 * the {@link View} services registered now. One window at a time.
 */
@ProviderType
public interface Workbench {

  /**
   * How to run the window.
   *
   * @param initialView        id of the view to select once it is there; null for the first tab
   * @param screenshot         when set, the window saves a PNG of itself after
   *                           {@code screenshotAfterResults} inspection results and closes
   * @param screenshotAfterResults inspection results (Event Admin) to wait for before the screenshot
   * @param timeout            how long a screenshot run waits for those results
   */
  record Options(String initialView, Path screenshot, int screenshotAfterResults, Duration timeout) {
    public Options {
      if (screenshotAfterResults < 0) {
        throw new IllegalArgumentException("results to wait for must be >= 0, not " + screenshotAfterResults);
      }
      timeout = timeout == null ? Duration.ofMinutes(5) : timeout;
    }

    /** An interactive window that stays open until the operator closes it. */
    public static Options interactive(String initialView) {
      return new Options(initialView, null, 0, null);
    }

    /** A window that saves {@code file} after {@code results} results and closes. */
    public static Options screenshot(String initialView, Path file, int results, Duration timeout) {
      return new Options(initialView, file, results, timeout);
    }
  }

  /**
   * Opens the window and runs the SWT event loop on the calling thread, which becomes the UI
   * thread, until the window is closed (by the operator, {@link #close()}, an interrupt, the
   * workbench bundle stopping, or a finished screenshot run).
   *
   * @throws IllegalStateException when a window is already open
   * @throws IOException           when no display can be opened, or the screenshot cannot be saved
   * @throws TimeoutException      when a screenshot run did not see its results in time
   */
  void run(Options options) throws IOException, TimeoutException, InterruptedException;

  /** The open window's display, empty when no window is open. */
  Optional<Display> display();

  /** Selects the view with that id now, or as soon as it is registered. Any thread. */
  void showView(String viewId);

  /** Saves a PNG of the open window as it is now. Any thread but the UI thread. */
  void screenshot(Path file) throws IOException, InterruptedException;

  /** Closes the open window, if any. Any thread. */
  void close();
}
