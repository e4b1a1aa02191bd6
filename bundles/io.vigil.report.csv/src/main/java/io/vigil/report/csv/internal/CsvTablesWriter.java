package io.vigil.report.csv.internal;

import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.evaluation.EvaluatedImage;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Component;

/**
 * {@code summary.csv} (metric,value) and {@code images.csv} (one row per image, written as the
 * images are scored) through Apache Commons CSV.
 */
@Component(property = ReportWriter.NAME_PROPERTY + "=csv")
public class CsvTablesWriter implements ReportWriter {
  static final String SUMMARY = "summary.csv";
  static final String IMAGES = "images.csv";
  static final String[] IMAGE_COLUMNS = {
    "path", "defect", "label", "raw_score", "normalized_score", "decision", "milliseconds", "map", "heatmap"
  };

  @Override
  public Report open(Path directory, EvaluationRun run) throws IOException {
    return new CsvReport(directory, run);
  }

  private static CSVFormat format(String... header) {
    return CSVFormat.DEFAULT.builder().setHeader(header).setRecordSeparator('\n').get();
  }

  static final class CsvReport implements Report {
    private final Path directory;
    private final EvaluationRun run;
    private final ReportNames names;
    private final Writer imagesFile;
    private final CSVPrinter images;
    private int good;
    private int goodRejected;
    private int defective;
    private int defectiveMissed;
    private boolean imagesClosed;

    CsvReport(Path directory, EvaluationRun run) throws IOException {
      this.directory = directory;
      this.run = run;
      this.names = new ReportNames(run);
      this.imagesFile = Files.newBufferedWriter(directory.resolve(IMAGES), StandardCharsets.UTF_8);
      this.images = new CSVPrinter(imagesFile, format(IMAGE_COLUMNS));
    }

    @Override
    public void add(EvaluatedImage image) throws IOException {
      GroundTruth truth = image.frame().groundTruth();
      Detection detection = image.detection();
      String stem = names.stem(image.frame());
      images.printRecord(names.relativePath(image.frame()), truth.defectType(), truth.anomalous() ? 1 : 0,
          number(detection.rawScore()), number(detection.normalizedScore()), detection.decision().name(),
          String.format(Locale.ROOT, "%.3f", image.time().toNanos() / 1e6),
          AnomalyMapFilesWriter.MAPS + "/" + stem + ".tiff", AnomalyMapFilesWriter.HEATMAPS + "/" + stem + ".png");
      if (truth.anomalous()) {
        defective++;
        defectiveMissed += detection.decision() == Decision.OK ? 1 : 0;
      } else {
        good++;
        goodRejected += detection.decision() == Decision.NOK ? 1 : 0;
      }
    }

    @Override
    public void finish(EvaluationReport report) throws IOException {
      closeImages();
      Path summary = directory.resolve(SUMMARY);
      try (CSVPrinter printer = new CSVPrinter(Files.newBufferedWriter(summary, StandardCharsets.UTF_8),
          format("metric", "value"))) {
        for (Map.Entry<String, String> row : summaryRows(report).entrySet()) {
          printer.printRecord(row.getKey(), row.getValue());
        }
      }
    }

    /** The rows the issue asks for first, then every other figure of every metric. */
    Map<String, String> summaryRows(EvaluationReport report) {
      Map<String, String> rows = new LinkedHashMap<>();
      rows.put("image_auroc", value(report, StandardMetrics.IMAGE_AUROC));
      rows.put("pixel_auroc", value(report, StandardMetrics.PIXEL_AUROC));
      rows.put("aupro", value(report, StandardMetrics.AUPRO));
      rows.put("f1_max", value(report, StandardMetrics.F1_MAX));
      rows.put("f1_threshold", detail(report, StandardMetrics.F1_MAX, StandardMetrics.THRESHOLD));
      rows.put("zero_miss_threshold", value(report, StandardMetrics.ZERO_MISS_THRESHOLD));
      rows.put("zero_miss_false_reject_rate",
          detail(report, StandardMetrics.ZERO_MISS_THRESHOLD, StandardMetrics.FALSE_REJECT_RATE));
      rows.put("images", Integer.toString(report.images()));
      rows.put("seconds", String.format(Locale.ROOT, "%.3f", report.elapsed().toNanos() / 1e9));
      rows.put("images_per_second", String.format(Locale.ROOT, "%.3f", report.imagesPerSecond()));
      rows.put("skipped_images", Integer.toString(report.skipped().size()));
      rows.put("pixel_auroc_error_bound", detail(report, StandardMetrics.PIXEL_AUROC, StandardMetrics.ERROR_BOUND));
      rows.put("aupro_error_bound", detail(report, StandardMetrics.AUPRO, StandardMetrics.ERROR_BOUND));
      rows.put("model_threshold", number(run.calibration().threshold()));
      rows.put("model_false_reject_rate", ratio(goodRejected, good));
      rows.put("model_miss_rate", ratio(defectiveMissed, defective));
      Set<String> headline = Set.of(StandardMetrics.IMAGE_AUROC, StandardMetrics.PIXEL_AUROC, StandardMetrics.AUPRO,
          StandardMetrics.F1_MAX, StandardMetrics.ZERO_MISS_THRESHOLD);
      for (MetricResult result : new TreeMap<>(report.metrics()).values()) {
        if (!headline.contains(result.name())) {
          rows.putIfAbsent(result.name(), number(result.value()));
        }
        new TreeMap<>(result.details()).forEach((key, value) -> rows.putIfAbsent(result.name() + "." + key, number(value)));
      }
      return rows;
    }

    @Override
    public void close() throws IOException {
      closeImages();
    }

    private void closeImages() throws IOException {
      if (!imagesClosed) {
        imagesClosed = true;
        images.close(true);
      }
    }

    private static String value(EvaluationReport report, String metric) {
      return report.metric(metric).map(r -> number(r.value())).orElse("NaN");
    }

    private static String detail(EvaluationReport report, String metric, String key) {
      return report.metric(metric).map(r -> r.details().get(key)).map(CsvReport::number).orElse("NaN");
    }

    private static String ratio(int part, int whole) {
      return whole == 0 ? "NaN" : number((double) part / whole);
    }

    /** Shortest text that reads back as the same double; NaN and Infinity as Java writes them. */
    static String number(double value) {
      if (value == Math.rint(value) && Math.abs(value) < 1e15) {
        return Long.toString((long) value);
      }
      return Double.toString(value);
    }
  }

  /** The header names of images.csv, for readers and tests. */
  static List<String> imageColumns() {
    return new ArrayList<>(List.of(IMAGE_COLUMNS));
  }
}
