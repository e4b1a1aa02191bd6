package io.vigil.api.detector;

import org.osgi.annotation.versioning.ConsumerType;

/** Receives progress from a training run and may cancel it. */
@ConsumerType
public interface TrainingMonitor {
  /** A monitor that ignores progress and never cancels. */
  TrainingMonitor NONE = progress -> {};

  void progress(TrainingProgress progress);

  /** Polled between steps; true stops training without writing a model. */
  default boolean isCancelled() {
    return false;
  }
}
