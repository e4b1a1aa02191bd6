package io.vigil.api.evaluation;

import org.osgi.annotation.versioning.ConsumerType;

/** Follows an evaluation as it runs (a progress bar) and may cancel it. */
@ConsumerType
public interface EvaluationMonitor {
  /** A monitor that shows nothing and never cancels. */
  EvaluationMonitor NONE = new EvaluationMonitor() {};

  /** Model and data set are open; {@code total} images will be scored, -1 when unknown. */
  default void started(EvaluationRun run, int total) {}

  /** One more image was scored ({@code done} so far) or skipped as unreadable. */
  default void progress(int done, int total, String imageId) {}

  /** Scoring is done; metrics and reports are being computed and written. */
  default void finishing() {}

  /** Polled between images; true stops the evaluation and leaves no output. */
  default boolean isCancelled() {
    return false;
  }
}
