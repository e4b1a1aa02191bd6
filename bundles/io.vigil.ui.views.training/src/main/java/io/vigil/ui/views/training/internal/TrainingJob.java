package io.vigil.ui.views.training.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.nio.file.Files;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * One training run on a thread of its own ({@value #THREAD_PREFIX}NAME): opens the split, calls the
 * factory, reports progress and the outcome to a listener. Cancelling is polled by the factory
 * between steps.
 */
final class TrainingJob implements TrainingMonitor, Runnable {
  static final String THREAD_PREFIX = "vigil-training-";

  /** Told what happens, on the training thread. */
  interface Listener {
    void progress(TrainingProgress progress);

    void finished(Detector detector, Duration elapsed);

    void cancelled();

    void failed(Exception error);
  }

  /** What to train. */
  record Request(DetectorFactory factory, DatasetFormat format, Path root, String split, Map<String, Object> parameters,
      Path modelDirectory) {}

  private final Request request;
  private final Listener listener;
  private volatile boolean cancelled;
  private Thread thread;

  TrainingJob(Request request, Listener listener) {
    this.request = request;
    this.listener = listener;
  }

  void start(String name) {
    thread = new Thread(this, THREAD_PREFIX + name);
    thread.setDaemon(true);
    thread.start();
  }

  void cancel() {
    cancelled = true;
  }

  @Override
  public boolean isCancelled() {
    return cancelled || Thread.currentThread().isInterrupted();
  }

  @Override
  public void progress(TrainingProgress progress) {
    listener.progress(progress);
  }

  @Override
  public void run() {
    long start = System.nanoTime();
    try {
      if (Files.exists(request.modelDirectory())) {
        throw new FileAlreadyExistsException(request.modelDirectory().toString(), null,
            "a model is already there; choose another name or output folder");
      }
      Files.createDirectories(request.modelDirectory().getParent());
      ImageSource source = request.format().open(request.root(), request.split());
      Detector detector = request.factory().train(source, request.parameters(), request.modelDirectory(), this);
      if (cancelled) {
        listener.cancelled();
      } else {
        listener.finished(detector, Duration.ofNanos(System.nanoTime() - start));
      }
    } catch (CancellationException e) {
      listener.cancelled();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      listener.cancelled();
    } catch (Exception | LinkageError e) {
      listener.failed(e instanceof Exception ex ? ex : new RuntimeException(e));
    }
  }
}
