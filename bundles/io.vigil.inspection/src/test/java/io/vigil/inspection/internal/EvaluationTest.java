package io.vigil.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.evaluation.EvaluatedImage;
import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The evaluation run with stand-in services: output atomicity, cancellation and clear errors. */
class EvaluationTest {
  @TempDir Path root;
  private Path model;
  private Path data;
  private Path out;
  /** Frames the fake data set delivers; a null entry is an unreadable file. */
  private final List<Frame> frames = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    model = Files.createDirectories(root.resolve("model"));
    Files.writeString(model.resolve("fake.model"), "algorithm=fake");
    data = Files.createDirectories(root.resolve("data"));
    out = root.resolve("reports/run-1");
    for (int i = 0; i < 6; i++) {
      boolean defect = i % 2 == 1;
      frames.add(frame("f" + i, defect, (byte) (defect ? 200 : 20 + i)));
    }
  }

  private static Frame frame(String id, boolean defect, byte value) {
    byte[] pixels = new byte[4 * 3];
    java.util.Arrays.fill(pixels, value);
    GroundTruth truth = defect ? GroundTruth.defect("crack", null) : GroundTruth.good(null);
    return new Frame(id, Instant.EPOCH, id, Image.of8Bit(4, 3, 1, pixels), truth, Map.of());
  }

  @Test
  void writesTheReportAtomicallyAndReturnsTheMetrics() throws Exception {
    Services services = new Services();
    EvaluationReport report = evaluation(services).run(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE);

    assertEquals(6, report.images());
    assertEquals(6.0, report.metrics().get("image_auroc").value(), "every metric saw every frame");
    assertEquals("fake-model", report.run().detectorName());
    assertEquals(out.toAbsolutePath(), report.output());
    assertEquals(List.of("f0", "f1", "f2", "f3", "f4", "f5", "finished"), Files.readAllLines(out.resolve("log.txt")));
    assertEquals(List.of("run-1"), siblings(), "no working directory is left beside the report");
  }

  @Test
  void cancellingLeavesNoOutputAtAll() throws Exception {
    EvaluationMonitor cancelAfterTwo = new EvaluationMonitor() {
      int seen;

      @Override
      public void progress(int done, int total, String imageId) {
        seen = done;
      }

      @Override
      public boolean isCancelled() {
        return seen >= 2;
      }
    };
    assertThrows(InterruptedException.class,
        () -> evaluation(new Services()).run(new EvaluationRequest(model, data, out), cancelAfterTwo));
    assertEquals(List.of(), siblings(), "neither the report nor its working directory remains");
  }

  @Test
  void anInterruptStopsTheRunAndLeavesNoOutput() throws Exception {
    Services services = new Services();
    services.interruptAt = 3;
    assertThrows(InterruptedException.class,
        () -> evaluation(services).run(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE));
    assertFalse(Thread.interrupted(), "the interrupt was consumed by the exception");
    assertEquals(List.of(), siblings());
  }

  @Test
  void anExistingReportIsKeptUnlessOverwriteIsAsked() throws Exception {
    Files.createDirectories(out);
    Files.writeString(out.resolve("old.txt"), "old");
    EvaluationException refused = assertThrows(EvaluationException.class,
        () -> evaluation(new Services()).run(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE));
    assertTrue(refused.getMessage().contains("--overwrite"), refused.getMessage());
    assertTrue(Files.exists(out.resolve("old.txt")));

    evaluation(new Services()).run(new EvaluationRequest(model, data, "test", out, true, false), EvaluationMonitor.NONE);
    assertFalse(Files.exists(out.resolve("old.txt")), "replaced by the new report");
    assertTrue(Files.exists(out.resolve("log.txt")));
    assertEquals(List.of("run-1"), siblings());
  }

  @Test
  void anUnreadableImageStopsTheRunUnlessSkippingIsAsked() throws Exception {
    frames.add(2, null);
    EvaluationException stopped = assertThrows(EvaluationException.class,
        () -> evaluation(new Services()).run(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE));
    assertTrue(stopped.getMessage().contains("broken-2.png") && stopped.getMessage().contains("--skip-unreadable"),
        stopped.getMessage());
    assertEquals(List.of(), siblings());

    EvaluationReport report = evaluation(new Services())
        .run(new EvaluationRequest(model, data, "test", out, false, true), EvaluationMonitor.NONE);
    assertEquals(6, report.images());
    assertEquals(1, report.skipped().size());
    assertTrue(report.skipped().get(0).contains("broken-2.png"));
  }

  @Test
  void badInputIsNamedInTheError() throws Exception {
    Services services = new Services();
    EvaluationException e = assertThrows(EvaluationException.class, () -> evaluation(services)
        .run(new EvaluationRequest(root.resolve("nowhere"), data, out), EvaluationMonitor.NONE));
    assertTrue(e.getMessage().contains("model directory") && e.getMessage().contains("does not exist"), e.getMessage());

    Path otherModel = Files.createDirectories(root.resolve("other-model"));
    e = assertThrows(EvaluationException.class,
        () -> evaluation(services).run(new EvaluationRequest(otherModel, data, out), EvaluationMonitor.NONE));
    assertTrue(e.getMessage().contains("no detector factory recognises") && e.getMessage().contains("fake"), e.getMessage());

    e = assertThrows(EvaluationException.class, () -> evaluation(services)
        .run(new EvaluationRequest(model, data, "validation", out, false, false), EvaluationMonitor.NONE));
    assertTrue(e.getMessage().contains("no 'validation' split") && e.getMessage().contains("test"), e.getMessage());

    frames.set(0, new Frame("unlabelled", Instant.EPOCH, "unlabelled", frames.get(1).image()));
    e = assertThrows(EvaluationException.class,
        () -> evaluation(services).run(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE));
    assertTrue(e.getMessage().contains("unlabelled has no ground truth"), e.getMessage());

    Services withoutMetrics = new Services();
    withoutMetrics.metricNames.remove("aupro");
    e = assertThrows(EvaluationException.class,
        () -> evaluation(withoutMetrics).run(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE));
    assertTrue(e.getMessage().contains("[aupro]") && e.getMessage().contains("io.vigil.metrics"), e.getMessage());
    assertEquals(List.of(), siblings());
  }

  private Evaluation evaluation(Services services) {
    return new Evaluation(services, Duration.ZERO, Set.of("log"));
  }

  private List<String> siblings() throws IOException {
    Path parent = out.getParent();
    if (!Files.exists(parent)) {
      return List.of();
    }
    try (Stream<Path> list = Files.list(parent)) {
      return list.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  /** Stand-ins for the registered services. */
  private final class Services implements Evaluation.Services {
    final List<String> metricNames = new ArrayList<>(Evaluation.REQUIRED_METRICS);
    int interruptAt = -1;
    private final ReportWriter writer = new LogWriter();

    @Override
    public List<DetectorFactory> factories() {
      return List.of(new DetectorFactory() {
        @Override
        public String algorithm() {
          return "fake";
        }

        @Override
        public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
            TrainingMonitor monitor) {
          throw new UnsupportedOperationException();
        }

        @Override
        public boolean recognizes(Path modelDirectory) {
          return Files.exists(modelDirectory.resolve("fake.model"));
        }

        @Override
        public Detector load(Path modelDirectory) {
          return new MeanDetector(Services.this);
        }
      });
    }

    @Override
    public List<DatasetFormat> formats() {
      return List.of(new DatasetFormat() {
        @Override
        public String name() {
          return "fake";
        }

        @Override
        public boolean recognizes(Path dataRoot) {
          return dataRoot.equals(data.toAbsolutePath());
        }

        @Override
        public List<String> splits(Path dataRoot) {
          return List.of("train", "test");
        }

        @Override
        public ImageSource open(Path dataRoot, String split) {
          return new ListSource();
        }
      });
    }

    @Override
    public List<Metric> metrics() {
      List<Metric> metrics = new ArrayList<>();
      for (String name : metricNames) {
        metrics.add(new CountingMetric(name));
      }
      return metrics;
    }

    @Override
    public Map<String, ReportWriter> writers() {
      return Map.of("log", writer);
    }
  }

  /** Scores an image by its mean brightness; interrupts its own thread at a chosen frame. */
  private static final class MeanDetector implements Detector {
    private final Services services;
    private int scored;

    MeanDetector(Services services) {
      this.services = services;
    }

    @Override
    public String name() {
      return "fake-model";
    }

    @Override
    public String algorithm() {
      return "fake";
    }

    @Override
    public Calibration calibration() {
      return Calibration.identity(0.5);
    }

    @Override
    public Detection detect(Image image) {
      if (++scored == services.interruptAt) {
        Thread.currentThread().interrupt(); // what Ctrl-C does to the command's thread
      }
      float score = (image.sample(0, 0, 0)) / 255f;
      float[] map = new float[image.width() * image.height()];
      java.util.Arrays.fill(map, score);
      return calibration().detection(new AnomalyMap(image.width(), image.height(), map), score);
    }
  }

  /** Counts frames: its value is the number it saw. */
  private static final class CountingMetric implements Metric {
    private final String name;

    CountingMetric(String name) {
      this.name = name;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Accumulator newAccumulator() {
      return new Accumulator() {
        int count;

        @Override
        public void add(ScoredFrame frame) {
          count++;
        }

        @Override
        public MetricResult result() {
          return new MetricResult(name, count);
        }
      };
    }
  }

  /** Writes log.txt: one line per image, then "finished". */
  private static final class LogWriter implements ReportWriter {
    @Override
    public Report open(Path directory, EvaluationRun run) {
      Path log = directory.resolve("log.txt");
      return new Report() {
        @Override
        public void add(EvaluatedImage image) throws IOException {
          Files.writeString(log, image.frame().id() + "\n", java.nio.file.StandardOpenOption.CREATE,
              java.nio.file.StandardOpenOption.APPEND);
        }

        @Override
        public void finish(EvaluationReport report) throws IOException {
          Files.writeString(log, "finished\n", java.nio.file.StandardOpenOption.APPEND);
        }
      };
    }
  }

  private final class ListSource implements ImageSource {
    @Override
    public String name() {
      return "fake-test";
    }

    @Override
    public boolean isFinite() {
      return true;
    }

    @Override
    public FrameStream open() {
      return new FrameStream() {
        int next;

        @Override
        public Frame next(Duration timeout) throws FrameReadException {
          if (next >= frames.size()) {
            return null;
          }
          Frame frame = frames.get(next++);
          if (frame == null) {
            throw new FrameReadException("test/crack/broken-" + (next - 1) + ".png", "cannot decode", null);
          }
          return frame;
        }

        @Override
        public boolean isExhausted() {
          return next >= frames.size();
        }

        @Override
        public OptionalInt size() {
          return OptionalInt.of(frames.size());
        }

        @Override
        public void close() {}
      };
    }
  }
}
