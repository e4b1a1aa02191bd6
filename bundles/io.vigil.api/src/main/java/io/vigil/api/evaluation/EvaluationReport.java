package io.vigil.api.evaluation;

import io.vigil.api.metric.MetricResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The outcome of an evaluation.
 *
 * @param run      model and data set
 * @param images   images scored
 * @param skipped  images that could not be read, with the reason (only with skipUnreadable)
 * @param elapsed  wall time from the first image to the last
 * @param metrics  every computed metric by name
 * @param output   the report directory
 */
public record EvaluationReport(
    EvaluationRun run, int images, List<String> skipped, Duration elapsed, Map<String, MetricResult> metrics,
    Path output) {
  public EvaluationReport {
    Objects.requireNonNull(run, "run");
    Objects.requireNonNull(elapsed, "elapsed");
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
    metrics = metrics == null ? Map.of() : Map.copyOf(metrics);
  }

  public Optional<MetricResult> metric(String name) {
    return Optional.ofNullable(metrics.get(name));
  }

  /** Images per second over the whole run; 0 when no time passed. */
  public double imagesPerSecond() {
    double seconds = elapsed.toNanos() / 1e9;
    return seconds > 0 ? images / seconds : 0;
  }
}
