package io.vigil.api.detector;

import java.time.Duration;
import java.util.Optional;

/**
 * A snapshot of a training run.
 *
 * @param phase      what is happening ("features", "epoch", "calibration", ...)
 * @param step       steps done in this phase
 * @param totalSteps steps in this phase
 * @param loss       the latest training loss, NaN when there is none yet
 * @param elapsed    time since training started
 * @param remaining  estimated time to the end; null when unknown
 */
public record TrainingProgress(
    String phase, int step, int totalSteps, double loss, Duration elapsed, Duration remaining) {

  /** Share of this phase done, 0..1. */
  public double fraction() {
    return totalSteps <= 0 ? 0 : Math.min(1.0, (double) step / totalSteps);
  }

  public Optional<Duration> optionalRemaining() {
    return Optional.ofNullable(remaining);
  }
}
