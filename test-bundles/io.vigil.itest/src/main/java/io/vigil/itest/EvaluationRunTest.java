package io.vigil.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandDispatcher;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.Evaluator;
import io.vigil.api.source.DatasetFormat;
import io.vigil.itest.EvaluationFixtures.BrightnessDetectorFactory;
import io.vigil.itest.EvaluationFixtures.MvtecLayoutFormat;
import io.vigil.itest.EvaluationFixtures.Sample;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/**
 * An evaluation in Felix with the real metric and report bundles: a fixture detector factory and
 * data set format registered from this bundle, a tiny MVTec-layout set generated on disk, and
 * every output file read back. Expected values are derived by hand from the fixture's design
 * (see {@link EvaluationFixtures}): the map is brightness / 255.
 */
class EvaluationRunTest {
  private static final double TOLERANCE = 1e-6;
  private static final int TOTAL_PIXELS = 24 * 16 + 20 * 20 + 32 * 12 + 18 * 18 + 16 * 24; // 1876
  private static final int DEFECT_PIXELS = 3 * EvaluationFixtures.BLOB_PIXELS; // 39
  private static final int GOOD_PIXELS = TOTAL_PIXELS - DEFECT_PIXELS; // 1837

  private final BundleContext context = FrameworkUtil.getBundle(EvaluationRunTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private Path root;
  private Path model;
  private Path data;

  @BeforeEach
  void setUp() throws IOException {
    root = Files.createTempDirectory("vigil-eval-itest");
    model = Files.createDirectories(root.resolve("model"));
    Files.writeString(model.resolve(EvaluationFixtures.MODEL_FILE), "algorithm=brightness\n");
    data = root.resolve("tiles");
    EvaluationFixtures.writeDataset(data);
    registrations.add(context.registerService(DetectorFactory.class, new BrightnessDetectorFactory(),
        dictionary(Map.of("vigil.detector.algorithm", "brightness"))));
    registrations.add(context.registerService(DatasetFormat.class, new MvtecLayoutFormat(),
        dictionary(Map.of(DatasetFormat.NAME_PROPERTY, "itest-mvtec"))));
  }

  @AfterEach
  void tearDown() throws IOException {
    registrations.forEach(ServiceRegistration::unregister);
    deleteRecursively(root);
  }

  @Test
  void evaluationWritesEveryReportFileWithHandCheckedValues() throws Exception {
    Path out = root.resolve("reports/tiles");
    EvaluationReport report = evaluator().evaluate(new EvaluationRequest(model, data, out), EvaluationMonitor.NONE);
    assertEquals(5, report.images());
    assertEquals(List.of("tiles"), list(out.getParent()), "the report and nothing else (no working directory)");

    Map<String, String> summary = new LinkedHashMap<>();
    for (CSVRecord row : csv(out.resolve("summary.csv"), "metric", "value")) {
      summary.put(row.get("metric"), row.get("value"));
    }
    assertEquals(List.of("image_auroc", "pixel_auroc", "aupro", "f1_max", "f1_threshold", "zero_miss_threshold",
        "zero_miss_false_reject_rate", "images", "seconds", "images_per_second"), List.copyOf(summary.keySet()).subList(0, 10));
    // Image scores (x255): good 40, 120; defects crack 200, 100, hole 255. Of the 6 defect-good
    // pairs only crack/001 (100) vs good/001 (120) is misordered: 5/6.
    assertEquals(5.0 / 6, number(summary, "image_auroc"), TOLERANCE);
    // Pixels: 39 defect (3 blobs of 13), 1837 good. Only crack/001's 13 blob pixels (100) rank
    // below good pixels, the 4 spot pixels (120): AUROC = 1 - 13*4 / (39*1837).
    assertEquals(1 - 13.0 * 4 / (39.0 * GOOD_PIXELS), number(summary, "pixel_auroc"), TOLERANCE);
    // Regions: 3 (each blob is one 8-connected region). PRO climbs to 2/3 at FPR 0 (hole, crack/000),
    // stays 2/3 until FPR 4/1837 (the spot), then jumps to 1 (crack/001). Area to 0.3:
    // (4/1837)*(2/3) + (0.3 - 4/1837)*1 = 0.3 - (4/1837)/3, divided by 0.3: 1 - (4/1837)/0.9.
    assertEquals(1 - (4.0 / GOOD_PIXELS) / 0.9, number(summary, "aupro"), TOLERANCE);
    // Thresholds falling: 255 -> F1 2/5; 200 -> 4/5; 120 -> 4/6; 100 -> TP 3, FP 1: 6/7; 40 -> 6/8.
    assertEquals(6.0 / 7, number(summary, "f1_max"), TOLERANCE);
    assertEquals(100 / 255.0, number(summary, "f1_threshold"), TOLERANCE);
    // Catching every defect needs threshold 100/255; good/001 (120) is rejected too: 1 of 2 good.
    assertEquals(100 / 255.0, number(summary, "zero_miss_threshold"), TOLERANCE);
    assertEquals(0.5, number(summary, "zero_miss_false_reject_rate"), TOLERANCE);
    assertEquals(5, number(summary, "images"));
    assertTrue(number(summary, "seconds") >= 0 && number(summary, "images_per_second") > 0, summary.toString());
    // crack vs good: 200 beats 40 and 120, 100 beats 40 only: 3/4. hole: 1.
    assertEquals(0.75, number(summary, "image_auroc.defect.crack"), TOLERANCE);
    assertEquals(1.0, number(summary, "image_auroc.defect.hole"), TOLERANCE);
    assertEquals(0.0, number(summary, "pixel_auroc_error_bound"), 0.0, "small runs are exact");
    // Model threshold 0.5: crack/001 (0.39) is missed, no good part is rejected.
    assertEquals(1.0 / 3, number(summary, "model_miss_rate"), TOLERANCE);
    assertEquals(0.0, number(summary, "model_false_reject_rate"), 0.0);

    List<CSVRecord> images = csv(out.resolve("images.csv"),
        "path", "defect", "label", "raw_score", "normalized_score", "decision", "milliseconds", "map", "heatmap");
    assertEquals(List.of("test/crack/000.png", "test/crack/001.png", "test/good/000.png", "test/good/001.png",
        "test/hole/000.png"), images.stream().map(r -> r.get("path")).toList());
    assertEquals(List.of("crack", "crack", "good", "good", "hole"), images.stream().map(r -> r.get("defect")).toList());
    assertEquals(List.of("1", "1", "0", "0", "1"), images.stream().map(r -> r.get("label")).toList());
    assertEquals(List.of("NOK", "OK", "OK", "OK", "NOK"), images.stream().map(r -> r.get("decision")).toList());
    double[] raw = {200, 100, 40, 120, 255};
    for (int i = 0; i < raw.length; i++) {
      CSVRecord row = images.get(i);
      assertEquals(raw[i] / 255, Double.parseDouble(row.get("raw_score")), TOLERANCE, row.toString());
      assertEquals((raw[i] / 255 - 0.1) / 0.2, Double.parseDouble(row.get("normalized_score")), TOLERANCE, row.toString());
      assertTrue(Double.parseDouble(row.get("milliseconds")) >= 0, row.toString());
    }

    for (Sample sample : EvaluationFixtures.SAMPLES) {
      String stem = sample.defect() + "/" + sample.name();
      Path tiff = out.resolve("maps/" + stem + ".tiff");
      BufferedImage map = ImageIO.read(tiff.toFile());
      assertNotNull(map, tiff + " decodes");
      assertEquals(sample.width(), map.getWidth(), tiff + " width");
      assertEquals(sample.height(), map.getHeight(), tiff + " height");
      assertEquals(DataBuffer.TYPE_FLOAT, map.getRaster().getDataBuffer().getDataType(), tiff + " holds 32-bit floats");
      assertEquals(EvaluationFixtures.BACKGROUND / 255f, map.getRaster().getSampleFloat(0, 0, 0), 1e-7f);
      BufferedImage heatmap = ImageIO.read(out.resolve("heatmaps/" + stem + ".png").toFile());
      assertNotNull(heatmap, stem + " heatmap decodes");
      assertEquals(sample.width(), heatmap.getWidth());
      assertEquals(sample.height(), heatmap.getHeight());
    }
    for (String chart : List.of("roc.png", "defects.png")) {
      assertTrue(Files.isRegularFile(out.resolve(chart)), chart + " missing; the report holds " + list(out));
      BufferedImage png = ImageIO.read(out.resolve(chart).toFile());
      assertNotNull(png, chart + " decodes");
      assertTrue(png.getWidth() >= 400 && png.getHeight() >= 300, chart + " size");
    }
  }

  @Test
  void evalCommandRunsFromTheCommandLineAndRefusesToOverwrite() throws Exception {
    Verb eval = command("eval");
    CapturedConsole console = new CapturedConsole(root);
    int status = eval.run(List.of("--model", "model", "--data", "tiles", "--out", "out"), console);
    assertEquals(0, status, console.errors());
    assertTrue(console.printed().contains("image_auroc"), console.printed());
    assertTrue(console.errors().contains("5/5 100%"), "progress reaches the end: " + console.errors());
    assertTrue(Files.isRegularFile(root.resolve("out/summary.csv")));

    CapturedConsole again = new CapturedConsole(root);
    assertEquals(1, eval.run(List.of("--model", "model", "--data", "tiles", "--out", "out"), again));
    assertTrue(again.errors().contains("--overwrite"), again.errors());

    CapturedConsole bad = new CapturedConsole(root);
    assertEquals(2, eval.run(List.of("--model", "model"), bad));
    assertTrue(bad.errors().contains("Usage: ./vigil eval"), bad.errors());
  }

  @Test
  void aCancelledEvaluationLeavesNoOutput() throws Exception {
    Path out = root.resolve("cancelled");
    EvaluationMonitor cancelAfterTwo = new EvaluationMonitor() {
      private int done;

      @Override
      public void progress(int images, int total, String imageId) {
        done = images;
      }

      @Override
      public boolean isCancelled() {
        return done >= 2;
      }
    };
    assertThrows(InterruptedException.class,
        () -> evaluator().evaluate(new EvaluationRequest(model, data, out), cancelAfterTwo));
    assertFalse(list(root).stream().anyMatch(name -> name.contains("cancelled")), "no report, no working directory: " + list(root));
  }

  private Evaluator evaluator() throws InterruptedException {
    ServiceTracker<Evaluator, Evaluator> tracker = new ServiceTracker<>(context, Evaluator.class, null);
    tracker.open();
    Evaluator evaluator = tracker.waitForService(120_000);
    assertNotNull(evaluator, "no Evaluator service");
    return evaluator;
  }

  /** The verb as ./vigil runs it: through the command line service, with picocli's parsing. */
  private Verb command(String name) throws Exception {
    long deadline = System.currentTimeMillis() + 120_000;
    while (System.currentTimeMillis() < deadline) {
      ServiceReference<CommandDispatcher> vigil = context.getServiceReference(CommandDispatcher.class);
      if (vigil != null && !context.getServiceReferences(Command.class,
          "(" + Command.NAME_PROPERTY + "=" + name + ")").isEmpty()) {
        CommandDispatcher dispatcher = context.getService(vigil);
        return (arguments, console) -> dispatcher.run(
            java.util.stream.Stream.concat(java.util.stream.Stream.of(name), arguments.stream()).toList(), console);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("no '" + name + "' command registered");
  }

  /** {@code ./vigil NAME ARGUMENTS}. */
  interface Verb {
    int run(List<String> arguments, io.vigil.api.command.CommandContext console) throws Exception;
  }


  private static double number(Map<String, String> summary, String key) {
    String value = summary.get(key);
    assertNotNull(value, key + " missing from summary.csv: " + summary.keySet());
    return Double.parseDouble(value);
  }

  private static List<CSVRecord> csv(Path file, String... header) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser parser = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader)) {
      assertEquals(List.of(header), parser.getHeaderNames(), file.getFileName() + " columns");
      return parser.getRecords();
    }
  }

  private static List<String> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static Dictionary<String, Object> dictionary(Map<String, Object> properties) {
    return new Hashtable<>(properties);
  }

  private static void deleteRecursively(Path directory) throws IOException {
    Files.walkFileTree(directory, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }
}
