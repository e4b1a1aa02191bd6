package io.vigil.detector.common.service;

import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Image;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A trained model loaded from (or saved to) a model directory, as a Detector. Subclasses score;
 * this class names the model and turns a scoring failure into a DetectionException that says
 * which model failed.
 */
public abstract class ModelDetector implements Detector, AutoCloseable {
  private final String name;
  private final String algorithm;
  private final String label;
  private final Path directory;
  private final List<Runnable> withdrawals = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();

  /**
   * @param name      the detector's name
   * @param algorithm the algorithm id (Detector.ALGORITHM_PROPERTY)
   * @param label     the algorithm as people read it, in messages ("PatchCore")
   * @param directory the model directory
   */
  protected ModelDetector(String name, String algorithm, String label, Path directory) {
    this.name = name;
    this.algorithm = algorithm;
    this.label = label;
    this.directory = directory;
  }

  @Override
  public final String name() {
    return name;
  }

  @Override
  public final String algorithm() {
    return algorithm;
  }

  /** The model directory the detector was saved to or loaded from. */
  public final Path directory() {
    return directory;
  }

  @Override
  public abstract Calibration calibration();

  /** Scores {@code images}, one detection each, in order; a failure may surface as a RuntimeException. */
  protected abstract List<Detection> score(List<Image> images);

  @Override
  public final Detection detect(Image image) throws DetectionException {
    return detect(List.of(image)).get(0);
  }

  @Override
  public final List<Detection> detect(List<Image> images) throws DetectionException {
    try {
      return score(images);
    } catch (RuntimeException e) {
      throw new DetectionException(label + " model '" + name + "' could not score: " + e.getMessage(), e);
    }
  }

  /**
   * Withdraws the detector's service registrations first, so that no station or view picks up a
   * closed model, then frees the model ({@link #release()}); only the first call does anything.
   */
  @Override
  public final void close() {
    if (closed.compareAndSet(false, true)) {
      for (Runnable withdrawal : withdrawals) {
        withdrawal.run();
      }
      release();
    }
  }

  /**
   * Frees the model's native memory and backbone; called once, by {@link #close()}.
   *
   * @since 2.0
   */
  protected abstract void release();

  /** Runs {@code withdrawal} when the detector is closed, before its model is freed. */
  void whenClosed(Runnable withdrawal) {
    withdrawals.add(withdrawal);
  }

  @Override
  public String toString() {
    return label + " '" + name + "' (" + directory + ")";
  }
}
