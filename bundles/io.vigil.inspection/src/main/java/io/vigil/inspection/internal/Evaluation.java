package io.vigil.inspection.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.evaluation.EvaluatedImage;
import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.image.Frame;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.metric.StandardMetrics;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * One evaluation run: load the model, open the labelled split, score every frame into the
 * metrics and the report writers, and move the finished report into place. Plain Java: the
 * services come from a {@link Services} view, best first.
 */
final class Evaluation {
  /** Metrics the summary needs; the run waits for them to be registered. */
  static final Set<String> REQUIRED_METRICS = Set.of(StandardMetrics.IMAGE_AUROC, StandardMetrics.PIXEL_AUROC,
      StandardMetrics.AUPRO, StandardMetrics.F1_MAX, StandardMetrics.ROC, StandardMetrics.ZERO_MISS_THRESHOLD);
  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration FRAME_TIMEOUT = Duration.ofSeconds(30);

  /** The registered services, in order of preference (highest service ranking first). */
  interface Services {
    List<DetectorFactory> factories();

    List<DatasetFormat> formats();

    List<Metric> metrics();

    /** Report writers by their {@link ReportWriter#NAME_PROPERTY}. */
    Map<String, ReportWriter> writers();
  }

  private final Services services;
  private final Duration serviceWait;
  private final Set<String> requiredWriters;

  /**
   * @param requiredWriters names of the report writers to wait for (they register as their
   *     bundles start); any other registered writer is used as well
   */
  Evaluation(Services services, Duration serviceWait, Set<String> requiredWriters) {
    this.services = services;
    this.serviceWait = serviceWait;
    this.requiredWriters = Set.copyOf(requiredWriters);
  }

  EvaluationReport run(EvaluationRequest request, EvaluationMonitor monitor)
      throws EvaluationException, InterruptedException {
    Path model = request.model().toAbsolutePath().normalize();
    Path data = request.data().toAbsolutePath().normalize();
    requireDirectory(model, "model directory");
    requireDirectory(data, "data set directory");
    if (model.getFileName() != null && model.getFileName().toString().matches("\\..+\\.partial-\\d+-[0-9a-z]+")) {
      throw new EvaluationException(model + " is an unfinished model: a training was writing it and stopped "
          + "(killed, or the power went) before it was complete; the next training beside it removes it");
    }

    DetectorFactory factory = await(() -> services.factories().stream().filter(f -> f.recognizes(model)).findFirst(),
        () -> "no detector factory recognises the model in " + model + " (registered: "
            + names(services.factories(), DetectorFactory::algorithm) + ")");
    Detector detector;
    try {
      detector = factory.load(model);
    } catch (ModelException | RuntimeException e) {
      throw new EvaluationException("cannot load the " + factory.algorithm() + " model in " + model + ": " + e.getMessage(), e);
    }
    DatasetFormat format = await(() -> services.formats().stream().filter(f -> f.recognizes(data)).findFirst(),
        () -> "no data set format recognises " + data + " (registered: " + names(services.formats(), DatasetFormat::name) + ")");
    ImageSource source = openSplit(format, data, request.split());
    Map<String, Metric> metrics = awaitMetrics();
    List<ReportWriter> writers = awaitWriters();

    EvaluationRun run = new EvaluationRun(detector.name(), detector.algorithm(), detector.calibration(), format.name(),
        model, data, request.split());
    OutputDirectory output;
    try {
      output = OutputDirectory.create(request.output(), request.overwrite());
    } catch (FileAlreadyExistsException e) {
      throw new EvaluationException("report directory " + e.getFile() + " " + e.getReason(), e);
    } catch (IOException e) {
      throw new EvaluationException("cannot create the report directory beside " + request.output() + ": " + e.getMessage(), e);
    }
    List<ReportWriter.Report> reports = new ArrayList<>();
    try (output) {
      for (ReportWriter writer : writers) {
        reports.add(writer.open(output.working(), run));
      }
      Map<String, Metric.Accumulator> accumulators = new LinkedHashMap<>();
      metrics.forEach((name, metric) -> accumulators.put(name, metric.newAccumulator()));
      Scored scored = score(source, detector, run, accumulators, reports, request.skipUnreadable(), monitor);

      monitor.finishing();
      Map<String, MetricResult> results = new LinkedHashMap<>();
      for (Map.Entry<String, Metric.Accumulator> entry : accumulators.entrySet()) {
        results.put(entry.getKey(), entry.getValue().result());
      }
      EvaluationReport report = new EvaluationReport(run, scored.images, scored.skipped, scored.elapsed, results,
          output.target());
      for (ReportWriter.Report writing : reports) {
        checkCancelled(monitor);
        writing.finish(report);
      }
      closeAll(reports);
      checkCancelled(monitor);
      output.commit(request.overwrite());
      return report;
    } catch (FileAlreadyExistsException e) {
      throw new EvaluationException("report directory " + e.getFile() + " " + e.getReason(), e);
    } catch (java.nio.channels.ClosedByInterruptException e) {
      // Ctrl-C landed inside a file write: a cancellation, not a disk problem.
      Thread.interrupted();
      throw new InterruptedException("evaluation cancelled while writing " + e.getMessage());
    } catch (IOException e) {
      // try (output) has deleted the unfinished report by now; a replaced one is still in place.
      throw new EvaluationException("writing the report " + output.target() + " failed: " + withCauses(e)
          + output.freeSpace() + "; nothing was written there" + (request.overwrite() && Files.exists(output.target())
              ? ", the report that was there is unchanged" : ""), e);
    } finally {
      closeQuietly(reports);
    }
  }

  private record Scored(int images, List<String> skipped, Duration elapsed) {}

  private Scored score(ImageSource source, Detector detector, EvaluationRun run,
      Map<String, Metric.Accumulator> accumulators, List<ReportWriter.Report> reports, boolean skipUnreadable,
      EvaluationMonitor monitor) throws EvaluationException, InterruptedException, IOException {
    List<String> skipped = new ArrayList<>();
    int images = 0;
    long start = System.nanoTime();
    try (FrameStream stream = openStream(source, run)) {
      int total = stream.size().orElse(-1);
      monitor.started(run, total);
      while (!stream.isExhausted()) {
        checkCancelled(monitor);
        Frame frame;
        try {
          frame = stream.next(FRAME_TIMEOUT);
        } catch (FrameReadException e) {
          if (!skipUnreadable) {
            throw new EvaluationException("cannot read " + e.getMessage() + " (pass --skip-unreadable to go on without it)", e);
          }
          skipped.add(e.getMessage());
          monitor.progress(images + skipped.size(), total, e.origin());
          continue;
        }
        if (frame == null) {
          if (stream.isExhausted()) {
            break;
          }
          throw new EvaluationException("split '" + run.split() + "' of " + run.data() + " delivered no frame in "
              + FRAME_TIMEOUT.toSeconds() + " s");
        }
        if (frame.groundTruth() == null) {
          throw new EvaluationException(frame.id() + " has no ground truth: split '" + run.split() + "' of "
              + run.data() + " is not labelled");
        }
        long scoring = System.nanoTime();
        Detection detection;
        try {
          detection = detector.detect(frame.image());
        } catch (DetectionException | RuntimeException e) {
          throw new EvaluationException("cannot score " + frame.id() + ": " + e.getMessage(), e);
        }
        Duration time = Duration.ofNanos(System.nanoTime() - scoring);
        ScoredFrame scoredFrame = new ScoredFrame(frame.id(), frame.groundTruth(), detection.rawScore(), detection.map());
        for (Map.Entry<String, Metric.Accumulator> entry : accumulators.entrySet()) {
          try {
            entry.getValue().add(scoredFrame);
          } catch (IllegalArgumentException e) {
            throw new EvaluationException(entry.getKey() + ": " + e.getMessage(), e);
          }
        }
        EvaluatedImage evaluated = new EvaluatedImage(frame, detection, time);
        for (ReportWriter.Report report : reports) {
          try {
            report.add(evaluated);
          } catch (RuntimeException e) {
            throw new EvaluationException("cannot write the report for " + frame.id() + ": " + e.getMessage(), e);
          }
        }
        images++;
        monitor.progress(images + skipped.size(), total, frame.id());
      }
    }
    if (images == 0) {
      throw new EvaluationException("split '" + run.split() + "' of " + run.data() + " holds no readable image");
    }
    return new Scored(images, skipped, Duration.ofNanos(System.nanoTime() - start));
  }

  private static FrameStream openStream(ImageSource source, EvaluationRun run) throws EvaluationException {
    try {
      return source.open();
    } catch (IOException | RuntimeException e) {
      throw new EvaluationException("cannot open split '" + run.split() + "' of " + run.data() + ": " + e.getMessage(), e);
    }
  }

  private static ImageSource openSplit(DatasetFormat format, Path data, String split) throws EvaluationException {
    try {
      List<String> splits = format.splits(data);
      if (!splits.contains(split)) {
        throw new EvaluationException("the " + format.name() + " data set " + data + " has no '" + split
            + "' split (it has: " + String.join(", ", splits) + ")");
      }
      ImageSource source = format.open(data, split);
      if (!source.isFinite()) {
        throw new EvaluationException("split '" + split + "' of " + data + " is a live source, not a data set");
      }
      return source;
    } catch (IOException | RuntimeException e) {
      throw new EvaluationException("cannot open split '" + split + "' of " + data + ": " + e.getMessage(), e);
    }
  }

  /** Every registered metric by name (the best-ranked of a name wins), once the required ones are there. */
  private Map<String, Metric> awaitMetrics() throws EvaluationException, InterruptedException {
    return await(() -> {
      Map<String, Metric> byName = new LinkedHashMap<>();
      for (Metric metric : services.metrics()) {
        byName.putIfAbsent(metric.name(), metric);
      }
      return byName.keySet().containsAll(REQUIRED_METRICS) ? Optional.of(byName) : Optional.empty();
    }, () -> {
      Set<String> missing = new TreeSet<>(REQUIRED_METRICS);
      services.metrics().forEach(m -> missing.remove(m.name()));
      return "metrics " + missing + " are not registered; is bundle io.vigil.metrics installed?";
    });
  }

  private List<ReportWriter> awaitWriters() throws EvaluationException, InterruptedException {
    Map<String, ReportWriter> writers = await(() -> Optional.of(services.writers())
            .filter(w -> !w.isEmpty() && w.keySet().containsAll(requiredWriters)),
        () -> {
          Set<String> missing = new TreeSet<>(requiredWriters);
          missing.removeAll(services.writers().keySet());
          return "report writers " + (missing.isEmpty() ? "(any)" : missing)
              + " are not registered; is bundle io.vigil.report.csv installed?";
        });
    return List.copyOf(writers.values());
  }

  /** Polls {@code lookup} until it finds something or the service wait is over. */
  private <T> T await(Supplier<Optional<T>> lookup, Supplier<String> failure)
      throws EvaluationException, InterruptedException {
    long deadline = System.nanoTime() + serviceWait.toNanos();
    while (true) {
      Optional<T> found = lookup.get();
      if (found.isPresent()) {
        return found.get();
      }
      if (System.nanoTime() >= deadline) {
        throw new EvaluationException(failure.get());
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void requireDirectory(Path path, String what) throws EvaluationException {
    if (!Files.isDirectory(path)) {
      throw new EvaluationException(what + " " + path + (Files.exists(path) ? " is not a directory" : " does not exist"));
    }
  }

  /** The message and those of its causes that add something ("I/O error writing PNG file!: No space left on device"). */
  private static String withCauses(Throwable e) {
    StringBuilder message = new StringBuilder(String.valueOf(e.getMessage()));
    for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append(": ").append(cause.getMessage());
      }
    }
    return message.toString();
  }

  private static void checkCancelled(EvaluationMonitor monitor) throws InterruptedException {
    if (Thread.interrupted() || monitor.isCancelled()) {
      throw new InterruptedException("evaluation cancelled");
    }
  }

  private static <T> String names(List<T> services, java.util.function.Function<T, String> name) {
    return services.isEmpty() ? "none" : services.stream().map(name).collect(Collectors.joining(", "));
  }

  private static void closeAll(List<ReportWriter.Report> reports) throws IOException {
    List<ReportWriter.Report> open = new ArrayList<>(reports);
    reports.clear();
    for (ReportWriter.Report report : open) {
      report.close();
    }
  }

  private static void closeQuietly(List<ReportWriter.Report> reports) {
    for (ReportWriter.Report report : reports) {
      try {
        report.close();
      } catch (Exception e) {
        // Already failing: the first error is the one to report.
      }
    }
  }
}
