package io.vigil.report.compare.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.Evaluator;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.detector.common.validation.SyntheticDefect;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.common.validation.ValidationSet;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code ./vigil curve shots --detector NAME --data DIR --out OUT}: image and pixel AUROC against
 * the number of good training images, repeated with a few seeds. Measured on a validation split
 * carved from the training images (held out, with synthetic defects: no test label chooses
 * anything) and, reported separately, on the test split.
 */
@Component(property = Command.NAME_PROPERTY + "=curve")
public class CurveCommand implements Command {
  private final Evaluator evaluator;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DetectorFactory> factories;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DatasetFormat> formats;

  @Activate
  public CurveCommand(@Reference Evaluator evaluator) {
    this.evaluator = evaluator;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext console) {
    return new Curve(console);
  }

  @picocli.CommandLine.Command(name = "curve",
      description = {"Few-shot curve: AUROC against the number of good training images, on validation and test.",
          "curve shots trains detector NAME on N good images of the data set's train split for each count, with "
              + "each seed, and measures image and pixel AUROC on a validation split carved from the train split "
              + "(images held out per seed, never trained on, each also with a synthetic defect) and, labelled as "
              + "such, on the test split. Writes OUT/curve.csv (one row per run, seed recorded) and OUT/curve.html "
              + "(mean and spread per count). curve epochs trains on every image not held out, a model for each of 1..N "
              + "epochs (or the values of another --parameter, e.g. steps), each from scratch, measured the same way."})
  final class Curve implements Callable<Integer> {
    private final CommandContext console;

    @picocli.CommandLine.Parameters(index = "0", paramLabel = "CURVE", description = "shots")
    String curve;
    @Option(names = {"--detector", "--algorithm"}, required = true, paramLabel = "NAME", description = "the detector")
    String algorithm;
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the data set")
    Path data;
    @Option(names = "--out", required = true, paramLabel = "OUT", description = "the curve's folder")
    Path out;
    @Option(names = "--counts", paramLabel = "LIST", split = ",", defaultValue = "2,5,10,25,50,all",
        description = "numbers of good images (\"all\": every image not held out); default ${DEFAULT-VALUE}")
    List<String> counts;
    @Option(names = "--seeds", paramLabel = "N", defaultValue = "3", description = "repetitions with seeds 1..N "
        + "(default ${DEFAULT-VALUE})")
    int seeds;
    @Option(names = "--validation", paramLabel = "N", defaultValue = "-1",
        description = "good images held out per seed (default: a tenth of the train split, at least 4)")
    int validation;
    @Option(names = "--no-test", description = "validation only (each test evaluation writes a full report)")
    boolean noTest;
    @Option(names = "--epochs", paramLabel = "N", defaultValue = "10",
        description = "curve epochs: a model trained for 1, 2, ..., N epochs (default ${DEFAULT-VALUE})")
    int epochs;
    @Option(names = "--parameter", paramLabel = "NAME", defaultValue = "epochs",
        description = "curve epochs: the training parameter varied (e.g. steps for EfficientAD; default epochs)")
    String parameter;
    @Option(names = "--values", paramLabel = "LIST", split = ",",
        description = "curve epochs: the parameter's values (default 1..--epochs)")
    List<Integer> values;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "a training parameter for every run")
    Map<String, String> parameters = new java.util.LinkedHashMap<>();

    Curve(CommandContext console) {
      this.console = console;
    }

    @Override
    public Integer call() throws Exception {
      if (!curve.equals("shots") && !curve.equals("epochs")) {
        console.err().println("vigil curve: '" + curve + "' is not a curve this version draws (shots, epochs)");
        return 2;
      }
      if (seeds < 1) {
        console.err().println("vigil curve: --seeds must be at least 1");
        return 2;
      }
      Path work = console.workingDirectory();
      List<Integer> settings = null;
      if (curve.equals("epochs")) {
        settings = values != null ? values : java.util.stream.IntStream.rangeClosed(1, Math.max(1, epochs)).boxed().toList();
      }
      return shots(algorithm, work.resolve(data).toAbsolutePath().normalize(), work.resolve(out),
          settings == null ? counts : List.of("all"), seeds, validation, !noTest,
          new java.util.LinkedHashMap<>(parameters), settings == null ? null : parameter, settings, console);
    }
  }

  /**
   * Trains and measures every run of the curve. For shots, {@code varied} is null and each run is an
   * image count; for epochs, every run trains on all images not held out, once per value of the
   * varied parameter (each from scratch: the model a budget of that many epochs gives).
   */
  private int shots(String algorithm, Path data, Path out, List<String> counts, int seeds, int validation,
      boolean test, Map<String, Object> parameters, String varied, List<Integer> settings, CommandContext console)
      throws Exception {
    DetectorFactory factory;
    DatasetFormat format;
    try {
      factory = Installed.factory(factories, algorithm);
      format = Installed.format(formats, data);
    } catch (IllegalArgumentException e) {
      console.err().println("vigil curve: " + e.getMessage());
      return 2;
    }
    List<Frame> train = readAll(format.open(data, "train"));
    int held = validation > 0 ? validation : Math.max(4, train.size() / 10);
    Files.createDirectories(out);
    List<String[]> rows = new ArrayList<>();
    try {
      for (int seed = 1; seed <= seeds; seed++) {
        ShotPlan plan = ShotPlan.of(train.size(), held, counts, seed);
        ValidationSet validationSet = ValidationSet.of(
            plan.heldOut().stream().map(i -> train.get(i).image()).toList(), 0, new Random(seed));
        for (ShotPlan.Run run : plan.runs()) {
         for (Integer setting : settings == null ? java.util.Collections.<Integer>singletonList(null) : settings) {
          String label = algorithm + "-" + run.images().size() + (setting == null ? "" : "-" + varied + setting)
              + "-seed" + seed;
          Path model = out.resolve("models").resolve(label);
          console.out().printf(Locale.ROOT, "seed %d, %s images%s: training%n", seed, run.label(),
              setting == null ? "" : ", " + varied + " " + setting);
          long start = System.nanoTime();
          Map<String, Object> runParameters = new java.util.HashMap<>(parameters);
          runParameters.put("name", label);
          if (setting != null) {
            runParameters.put(varied, setting);
          }
          Detector detector = factory.train(new ListSource(label, run.images().stream().map(train::get).toList()),
              runParameters, model, TrainingMonitor.NONE);
          double seconds = (System.nanoTime() - start) / 1e9;
          ValidationMetrics measured;
          try {
            measured = validate(detector, validationSet);
          } finally {
            if (detector instanceof AutoCloseable closeable) {
              closeable.close();
            }
          }
          double testImage = Double.NaN;
          double testPixel = Double.NaN;
          if (test) {
            EvaluationReport report = evaluator.evaluate(new EvaluationRequest(model, data, EvaluationRequest.TEST_SPLIT,
                out.resolve("evaluations").resolve(label), true, false), EvaluationMonitor.NONE);
            testImage = report.metric("image_auroc").map(m -> m.value()).orElse(Double.NaN);
            testPixel = report.metric("pixel_auroc").map(m -> m.value()).orElse(Double.NaN);
          }
          console.out().printf(Locale.ROOT, "  validation image AUROC %.4f, pixel %.4f; test %.4f / %.4f; %.1f s%n",
              measured.imageAuroc(), measured.pixelAuroc(), testImage, testPixel, seconds);
          rows.add(new String[] {algorithm, String.valueOf(setting == null ? run.images().size() : setting),
              setting == null ? run.label() : run.label() + " images", String.valueOf(seed),
              String.valueOf(plan.heldOut().size()), num(measured.imageAuroc()), num(measured.pixelAuroc()),
              num(testImage), num(testPixel), num(seconds)});
          writeCsv(rows, out.resolve("curve.csv"), varied == null ? "images" : varied); // a stopped curve keeps what it measured
         }
        }
      }
    } catch (TrainingException | EvaluationException e) {
      console.err().println("vigil curve: " + e.getMessage());
      return 1;
    }
    Path page = ShotsPage.write(algorithm, data, rows, out.resolve("curve.html"),
        varied == null ? "Good training images" : varied + " (each a model trained from scratch)", varied == null);
    console.out().println("Curve: " + out.resolve("curve.csv") + ", " + page);
    return 0;
  }

  static final String[] HEADER = {"detector", "images", "label", "seed", "validation_images",
      "validation_image_auroc", "validation_pixel_auroc", "test_image_auroc", "test_pixel_auroc", "training_seconds"};

  private static void writeCsv(List<String[]> rows, Path file, String x) throws IOException {
    String[] header = HEADER.clone();
    header[1] = x;
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        CSVPrinter csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header).get())) {
      for (String[] row : rows) {
        csv.printRecord((Object[]) row);
      }
    }
  }

  private static String num(double value) {
    return Double.isNaN(value) ? "" : String.format(Locale.ROOT, "%.6f", value);
  }

  private static ValidationMetrics validate(Detector detector, ValidationSet set) throws Exception {
    return ValidationMetrics.ofDetections(detector.detect(set.good()),
        detector.detect(set.defective().stream().map(SyntheticDefect::image).toList()), set.masks());
  }

  private static List<Frame> readAll(ImageSource source) throws Exception {
    List<Frame> frames = new ArrayList<>();
    try (FrameStream stream = source.open()) {
      while (!stream.isExhausted()) {
        Frame frame = stream.next(Duration.ofSeconds(10));
        if (frame != null) {
          frames.add(frame);
        }
      }
    }
    return frames;
  }

  /** The images one run trains on, as a finite source. */
  private record ListSource(String name, List<Frame> frames) implements ImageSource {
    @Override
    public boolean isFinite() {
      return true;
    }

    @Override
    public FrameStream open() {
      return new FrameStream() {
        private int next;

        @Override
        public Frame next(Duration timeout) {
          return next < frames.size() ? frames.get(next++) : null;
        }

        @Override
        public boolean isExhausted() {
          return next >= frames.size();
        }

        @Override
        public void close() {}
      };
    }
  }


}
