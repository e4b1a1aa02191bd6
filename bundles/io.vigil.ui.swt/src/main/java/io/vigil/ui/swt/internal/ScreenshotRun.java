package io.vigil.ui.swt.internal;

import io.vigil.api.inspection.InspectionEvents;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A window that checks itself: counts inspection results, and after the wanted number (plus a
 * moment for the views to draw the last one) saves a screenshot and closes the window. Runs on its
 * own thread, {@value #THREAD_NAME}; the PNG is written there, not on the UI thread.
 */
final class ScreenshotRun implements EventHandler {
  static final String THREAD_NAME = "vigil-ui-screenshot";
  private static final Logger LOG = LoggerFactory.getLogger(ScreenshotRun.class);
  /** Views draw results asynchronously; this is ample for the last one to be on screen. */
  private static final long SETTLE_MILLIS = 1000;

  private final BundleContext context;
  private final WorkbenchService workbench;
  private final Path file;
  private final int wantedResults;
  private final Duration timeout;
  private final Object counter = new Object();
  private long results;
  private ServiceRegistration<EventHandler> registration;
  private Thread thread;
  private volatile Exception failure;

  ScreenshotRun(BundleContext context, WorkbenchService workbench, Path file, int wantedResults, Duration timeout) {
    this.context = context;
    this.workbench = workbench;
    this.file = file;
    this.wantedResults = wantedResults;
    this.timeout = timeout;
  }

  void start() {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(EventConstants.EVENT_TOPIC, InspectionEvents.RESULT_TOPIC);
    registration = context.registerService(EventHandler.class, this, properties);
    thread = new Thread(this::takeScreenshot, THREAD_NAME);
    thread.setDaemon(true);
    thread.start();
  }

  @Override
  public void handleEvent(Event event) {
    synchronized (counter) {
      results++;
      counter.notifyAll();
    }
  }

  private void takeScreenshot() {
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      synchronized (counter) {
        while (results < wantedResults) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            throw new TimeoutException("only " + results + " of " + wantedResults + " inspection results arrived within "
                + timeout.toSeconds() + " s; no screenshot taken");
          }
          counter.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
      }
      Thread.sleep(SETTLE_MILLIS);
      ImageDataPng.write(workbench.capture(), file);
      LOG.info("Saved a screenshot after {} results: {}", wantedResults, file);
    } catch (InterruptedException e) {
      failure = new IOException("the window closed before the screenshot (" + results + " of " + wantedResults
          + " results seen)");
    } catch (TimeoutException | IOException | RuntimeException e) {
      failure = e;
    } finally {
      workbench.close();
    }
  }

  /** Stops waiting (the window has closed) and unregisters. */
  void stop() throws InterruptedException {
    if (registration != null) {
      registration.unregister();
      registration = null;
    }
    if (thread != null) {
      thread.interrupt();
      thread.join(TimeUnit.SECONDS.toMillis(30));
    }
  }

  void rethrowFailure() throws IOException, TimeoutException {
    Exception e = failure;
    if (e instanceof IOException io) {
      throw io;
    }
    if (e instanceof TimeoutException timedOut) {
      throw timedOut;
    }
    if (e instanceof RuntimeException runtime) {
      throw runtime;
    }
  }
}
