package io.vigil.ui.views.evaluation.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;

/**
 * Scores a labelled source with a detector and feeds every registered {@link Metric}, streaming
 * (maps go to the metrics' accumulators and are dropped, only image scores are kept for the view's
 * curves and lists). The evaluation view's only dependency on how an evaluation is computed: when
 * an evaluation service exists, this class is where the view calls it instead.
 */
final class EvaluationRun {
  private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(30);

  private EvaluationRun() {}

  /** Told as frames are scored; polled for cancellation between frames. */
  interface Progress {
    void scored(int done, int total);

    boolean isCancelled();
  }

  /** One metric's outcome: its result, or why it could not be computed. */
  record MetricOutcome(String name, MetricResult result, String error) {}

  /** Everything the view shows of one run. */
  record Outcome(String detector, double calibratedThreshold, List<ScoredImage> images, List<MetricOutcome> metrics,
      Duration elapsed) {}

  static Outcome run(Detector detector, ImageSource source, Map<String, Metric> metricsByName, Progress progress)
      throws IOException, DetectionException, InterruptedException {
    long start = System.nanoTime();
    Map<String, Metric.Accumulator> accumulators = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    metricsByName.forEach((name, metric) -> accumulators.put(name, metric.newAccumulator()));
    List<ScoredImage> images = new ArrayList<>();
    try (FrameStream stream = source.open()) {
      int total = stream.size().orElse(-1);
      while (!stream.isExhausted()) {
        if (progress.isCancelled()) {
          throw new CancellationException("evaluation cancelled after " + images.size() + " images");
        }
        Frame frame;
        try {
          frame = stream.next(FRAME_TIMEOUT);
        } catch (FrameReadException e) {
          throw new IOException("cannot evaluate: " + e.getMessage(), e);
        }
        if (frame == null) {
          if (stream.isExhausted()) {
            break;
          }
          throw new IOException(source.name() + " gave no frame within " + FRAME_TIMEOUT.toSeconds() + " s");
        }
        GroundTruth truth = frame.groundTruth();
        if (truth == null) {
          throw new IOException(frame.id() + " has no label: an evaluation needs a labelled split such as test");
        }
        Detection detection = detector.detect(frame.image());
        ScoredFrame scored = new ScoredFrame(frame.id(), truth, detection.rawScore(), detection.map());
        for (Map.Entry<String, Metric.Accumulator> entry : accumulators.entrySet()) {
          if (!failures.containsKey(entry.getKey())) {
            try {
              entry.getValue().add(scored);
            } catch (RuntimeException e) {
              failures.put(entry.getKey(), describe(e));
            }
          }
        }
        images.add(new ScoredImage(frame.id(), truth.defectType(), truth.anomalous(), detection.rawScore()));
        progress.scored(images.size(), total);
      }
    }
    if (images.isEmpty()) {
      throw new IOException(source.name() + " has no images");
    }
    List<MetricOutcome> outcomes = new ArrayList<>();
    for (Map.Entry<String, Metric.Accumulator> entry : accumulators.entrySet()) {
      String failure = failures.get(entry.getKey());
      if (failure == null) {
        try {
          outcomes.add(new MetricOutcome(entry.getKey(), entry.getValue().result(), null));
        } catch (RuntimeException e) {
          outcomes.add(new MetricOutcome(entry.getKey(), null, describe(e)));
        }
      } else {
        outcomes.add(new MetricOutcome(entry.getKey(), null, failure));
      }
    }
    return new Outcome(detector.name(), detector.calibration().threshold(), List.copyOf(images), outcomes,
        Duration.ofNanos(System.nanoTime() - start));
  }

  private static String describe(RuntimeException e) {
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
