package io.vigil.report.csv.internal;

import io.vigil.image.Heatmaps;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.evaluation.EvaluatedImage;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.api.metric.CurvePoint;
import io.vigil.api.metric.MetricResult;
import java.awt.image.BufferedImage;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The three writers on a hand-made run of three images; every file is read back. */
class ReportWritersTest {
  @TempDir Path directory;

  private final Path data = Path.of("/data/tiles").toAbsolutePath();
  private final EvaluationRun run = new EvaluationRun("tiles-v1", "fixture", new Calibration(0.2, 0.1, 0.6), "mvtec",
      Path.of("/models/tiles-v1"), data, "test");

  private EvaluatedImage image(String defect, String file, int width, int height, float peak, double raw) {
    float[] values = new float[width * height];
    for (int i = 0; i < values.length; i++) {
      values[i] = 0.1f + (i == values.length / 2 ? peak : 0) + i * 1e-4f;
    }
    Calibration calibration = run.calibration();
    Mask mask = Mask.empty(width, height);
    GroundTruth truth = defect.equals("good") ? GroundTruth.good(mask) : GroundTruth.defect(defect, mask);
    Frame frame = new Frame("test/" + defect + "/" + file, Instant.EPOCH, data.resolve("test/" + defect + "/" + file).toString(),
        Image.of8Bit(width, height, 1, new byte[width * height]), truth, Map.of());
    return new EvaluatedImage(frame, calibration.detection(new AnomalyMap(width, height, values), raw), Duration.ofMillis(12));
  }

  @Test
  void writesTablesMapsHeatmapsAndCharts() throws Exception {
    List<EvaluatedImage> images = List.of(
        image("good", "000.png", 7, 5, 0.0f, 0.3),
        image("crack", "000.png", 9, 4, 0.9f, 0.95),
        image("crack", "001.png", 3, 6, 0.2f, 0.4));
    Map<String, MetricResult> metrics = Map.of(
        "image_auroc", new MetricResult("image_auroc", 0.75, Map.of("defect.crack", 0.75), List.of()),
        "pixel_auroc", new MetricResult("pixel_auroc", 0.5, Map.of("error_bound", 0.0), List.of()),
        "aupro", new MetricResult("aupro", 0.25, Map.of("error_bound", 1e-5), List.of()),
        "f1_max", new MetricResult("f1_max", 0.8, Map.of("threshold", 0.4, "defect.crack", 0.8), List.of()),
        "zero_miss_threshold", new MetricResult("zero_miss_threshold", 0.4, Map.of("false_reject_rate", 0.0), List.of()),
        "roc", new MetricResult("roc", 0.75, Map.of(), List.of(new CurvePoint(0, 0, Double.POSITIVE_INFINITY),
            new CurvePoint(0, 0.5, 0.95), new CurvePoint(0, 1, 0.4), new CurvePoint(1, 1, 0.3))));
    EvaluationReport report = new EvaluationReport(run, 3, List.of(), Duration.ofMillis(1500), metrics, directory);

    List<ReportWriter.Report> reports = new ArrayList<>();
    for (ReportWriter writer : List.of(new CsvTablesWriter(), new AnomalyMapFilesWriter(), new ChartsWriter())) {
      reports.add(writer.open(directory, run));
    }
    for (EvaluatedImage image : images) {
      for (ReportWriter.Report writing : reports) {
        writing.add(image);
      }
    }
    for (ReportWriter.Report writing : reports) {
      writing.finish(report);
      writing.close();
    }

    List<CSVRecord> summary = read("summary.csv", "metric", "value");
    Map<String, String> rows = new java.util.LinkedHashMap<>();
    summary.forEach(r -> rows.put(r.get("metric"), r.get("value")));
    assertEquals(List.of("image_auroc", "pixel_auroc", "aupro", "f1_max", "f1_threshold", "zero_miss_threshold",
        "zero_miss_false_reject_rate", "images", "seconds", "images_per_second"), List.copyOf(rows.keySet()).subList(0, 10));
    assertEquals("0.75", rows.get("image_auroc"));
    assertEquals("0.4", rows.get("f1_threshold"));
    assertEquals("3", rows.get("images"));
    assertEquals("1.500", rows.get("seconds"));
    assertEquals("2.000", rows.get("images_per_second"));
    assertEquals("1.0E-5", rows.get("aupro_error_bound"));
    assertEquals("0.75", rows.get("image_auroc.defect.crack"));
    // Threshold 0.6: the good image (0.3) passes, crack 0.95 is caught, crack 0.4 is missed.
    assertEquals("0", rows.get("model_false_reject_rate"));
    assertEquals("0.5", rows.get("model_miss_rate"));

    List<CSVRecord> table = read("images.csv", CsvTablesWriter.IMAGE_COLUMNS);
    assertEquals(3, table.size());
    CSVRecord crack = table.get(1);
    assertEquals("test/crack/000.png", crack.get("path"));
    assertEquals("crack", crack.get("defect"));
    assertEquals("1", crack.get("label"));
    assertEquals("0.95", crack.get("raw_score"));
    assertEquals(7.5, Double.parseDouble(crack.get("normalized_score")), 1e-9); // (0.95 - 0.2) / 0.1
    assertEquals("NOK", crack.get("decision"));
    assertEquals("12.000", crack.get("milliseconds"));
    assertEquals("maps/crack/000.tiff", crack.get("map"));
    assertEquals("OK", table.get(0).get("decision"));

    for (EvaluatedImage image : images) {
      String stem = image.frame().groundTruth().defectType() + "/" + Path.of(image.frame().origin()).getFileName()
          .toString().replace(".png", "");
      AnomalyMap back = FloatTiff.read(directory.resolve("maps/" + stem + ".tiff"));
      assertEquals(image.frame().image().width(), back.width());
      assertEquals(image.frame().image().height(), back.height());
      assertArrayEquals(image.detection().map().values(), back.values(), 0f, "float values survive the TIFF");
      BufferedImage heatmap = ImageIO.read(directory.resolve("heatmaps/" + stem + ".png").toFile());
      assertEquals(image.frame().image().width(), heatmap.getWidth());
    }
    for (String chart : List.of("roc.png", "defects.png")) {
      BufferedImage png = ImageIO.read(directory.resolve(chart).toFile());
      assertNotNull(png, chart + " decodes");
      assertEquals(800, png.getWidth());
      assertTrue(distinctColours(png) > 5, chart + " has a drawing on it");
    }
  }

  @Test
  void heatmapColoursRunFromBlueAtTheNormalLevelToRedAtTheThreshold() {
    assertEquals(0x000080, Heatmaps.jet(0) & 0xFFFFFF, "t=0: dark blue (b = 1.5 - 1 = 0.5, 127.5 rounds to 128)");
    assertEquals(0x800000, Heatmaps.jet(1) & 0xFFFFFF, "t=1: dark red");
    assertEquals(0x80FF80, Heatmaps.jet(0.5) & 0xFFFFFF, "t=0.5: green, half red and blue");
  }

  @Test
  void sameFileNameInOneDefectTypeGetsASuffix() {
    ReportNames names = new ReportNames(run);
    Frame a = image("crack", "000.png", 2, 2, 0, 0).frame();
    Frame b = new Frame("other", Instant.EPOCH, data.resolve("test/crack/000.jpg").toString(), a.image(), a.groundTruth(), Map.of());
    assertEquals("crack/000", names.stem(a));
    assertEquals("crack/000_2", names.stem(b));
  }

  private List<CSVRecord> read(String file, String... header) throws Exception {
    try (Reader reader = Files.newBufferedReader(directory.resolve(file))) {
      List<CSVRecord> records = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
      if (!records.isEmpty()) {
        assertEquals(List.of(header), records.get(0).getParser().getHeaderNames(), file + " header");
      }
      return records;
    }
  }

  private static int distinctColours(BufferedImage image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.getHeight(); y += 7) {
      for (int x = 0; x < image.getWidth(); x += 7) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
