package io.vigil.report.compare.internal;

import io.vigil.report.compare.internal.EvaluationResults.ImageRow;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * Several models' evaluations of one data set side by side: {@code report.html}, one file that
 * opens from disk with everything inline (styles, SVG charts, thumbnails as data URIs; nothing is
 * fetched), and the CSV behind every chart and table.
 */
final class ComparisonReport {
  static final int GALLERY_SIZE = 8;
  private static final int THUMBNAIL = 160;

  /** Facts of the run shown at the end: data set, split, machine, versions, command line. */
  record Facts(Path data, String split, Map<String, String> more) {}

  /** One image of the gallery: its row per model (same order as the models). */
  record HardImage(String path, String defect, boolean defective, double hardness, List<ImageRow> rows) {}

  private ComparisonReport() {}

  /** Writes the report into {@code out} (created if needed); returns report.html. */
  static Path write(List<EvaluationResults> models, Facts facts, Path out) throws IOException {
    if (models.isEmpty()) {
      throw new IllegalArgumentException("nothing to compare: no model");
    }
    Files.createDirectories(out);
    List<String> names = models.stream().map(EvaluationResults::name).toList();
    List<List<Roc.Point>> curves = new ArrayList<>();
    List<Roc.Point> zeroMiss = new ArrayList<>();
    for (EvaluationResults model : models) {
      double[] scores = model.images().stream().mapToDouble(ImageRow::score).toArray();
      int[] labels = model.images().stream().mapToInt(ImageRow::label).toArray();
      curves.add(Roc.curve(scores, labels));
      zeroMiss.add(Roc.zeroMiss(scores, labels));
    }
    writeSummaryCsv(models, zeroMiss, out.resolve("summary.csv"));
    writeRocCsv(names, curves, out.resolve("roc.csv"));
    writeDistributionsCsv(models, out.resolve("distributions.csv"));
    writeDefectsCsv(models, out.resolve("defects.csv"));
    List<HardImage> misses = hardest(models, true);
    List<HardImage> falseAlarms = hardest(models, false);
    writeGalleryCsv(names, misses, falseAlarms, out.resolve("gallery.csv"));

    StringBuilder html = new StringBuilder(1 << 20);
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>Vigil comparison: ")
        .append(escape(String.join(" vs. ", names))).append("</title>\n<style>").append(STYLE).append("</style></head><body>\n");
    html.append("<h1>Detector comparison</h1>\n<p class=\"lead\">").append(escape(String.join(", ", names)))
        .append(" on <code>").append(escape(facts.data().toString())).append("</code>, split <code>")
        .append(escape(facts.split())).append("</code>, ").append(models.get(0).images().size())
        .append(" images. Every table and chart has its CSV beside this file.</p>\n");
    summaryTable(html, models, zeroMiss);
    html.append("<h2 id=\"roc\">ROC curves</h2>\n<figure class=\"chart\" id=\"chart-roc\">")
        .append(ComparisonCharts.roc(names, curves, zeroMiss)).append("</figure>\n");
    html.append("<h2 id=\"distributions\">Score distributions</h2>\n<div class=\"grid\">");
    for (int m = 0; m < models.size(); m++) {
      EvaluationResults model = models.get(m);
      double[] good = model.images().stream().filter(r -> !r.defective()).mapToDouble(ImageRow::normalizedScore).toArray();
      double[] bad = model.images().stream().filter(ImageRow::defective).mapToDouble(ImageRow::normalizedScore).toArray();
      html.append("<figure class=\"chart\" id=\"chart-distribution-").append(m).append("\">")
          .append(ComparisonCharts.distribution(model.name(), good, bad, m)).append("</figure>");
    }
    html.append("</div>\n<h2 id=\"defects\">Per defect type</h2>\n<figure class=\"chart\" id=\"chart-defects\">")
        .append(ComparisonCharts.defects(names, models.stream().map(EvaluationResults::defectAurocs).toList()))
        .append("</figure>\n");
    gallery(html, "Hardest defective images (the worst misses of any model)", "gallery-misses", names, misses,
        models, facts);
    gallery(html, "Hardest good images (the worst false alarms of any model)", "gallery-false-alarms", names,
        falseAlarms, models, facts);
    factsTable(html, facts, models);
    html.append("</body></html>\n");
    Path report = out.resolve("report.html");
    Files.writeString(report, html, StandardCharsets.UTF_8);
    return report;
  }

  private static void summaryTable(StringBuilder html, List<EvaluationResults> models, List<Roc.Point> zeroMiss) {
    html.append("<h2 id=\"summary\">Summary</h2>\n<table id=\"summary-table\"><thead><tr><th>model</th>"
        + "<th>image AUROC</th><th>pixel AUROC</th><th>AU-PRO</th><th>F1-max</th><th>zero-miss threshold</th>"
        + "<th>good parts it rejects</th><th>model threshold</th><th>misses at it</th><th>false rejects at it</th>"
        + "<th>images/s</th><th>training</th></tr></thead><tbody>\n");
    for (int m = 0; m < models.size(); m++) {
      EvaluationResults model = models.get(m);
      html.append("<tr><td><span class=\"swatch\" style=\"background:")
          .append(String.format("#%06x", ComparisonCharts.colour(m).getRGB() & 0xffffff)).append("\"></span>")
          .append(escape(model.name())).append("</td>")
          .append(cell(model.figure("image_auroc"), "%.4f")).append(cell(model.figure("pixel_auroc"), "%.4f"))
          .append(cell(model.figure("aupro"), "%.4f")).append(cell(model.figure("f1_max"), "%.4f"))
          .append(cell(zeroMiss.get(m).threshold(), "%.4g")).append(percent(zeroMiss.get(m).falsePositiveRate()))
          .append(cell(model.figure("model_threshold"), "%.4g")).append(percent(model.figure("model_miss_rate")))
          .append(percent(model.figure("model_false_reject_rate"))).append(cell(model.figure("images_per_second"), "%.1f"))
          .append(model.trainingSeconds().isPresent()
              ? cell(model.trainingSeconds().getAsDouble(), "%.0f s") : "<td class=\"na\">-</td>")
          .append("</tr>\n");
    }
    html.append("</tbody></table>\n<p class=\"note\">Images/s is what the evaluation measured, maps and report "
        + "included; <code>./vigil benchmark</code> measures inference alone.</p>\n");
  }

  private static void gallery(StringBuilder html, String title, String id, List<String> names, List<HardImage> images,
      List<EvaluationResults> models, Facts facts) throws IOException {
    html.append("<h2 id=\"").append(id).append("\">").append(escape(title)).append("</h2>\n<table class=\"gallery\" id=\"")
        .append(id).append("-table\"><thead><tr><th>image</th>");
    for (String name : names) {
      html.append("<th>").append(escape(name)).append("</th>");
    }
    html.append("</tr></thead><tbody>\n");
    for (HardImage image : images) {
      html.append("<tr><td>").append(thumbnail(facts.data().resolve(image.path()))).append("<br><code>")
          .append(escape(image.path())).append("</code></td>");
      for (int m = 0; m < names.size(); m++) {
        ImageRow row = image.rows().get(m);
        String heatmap = row.heatmap().isEmpty() ? "" : thumbnail(models.get(m).directory().resolve(row.heatmap()));
        html.append("<td>").append(heatmap).append("<br>").append(escape(row.decision())).append(String.format(
            Locale.ROOT, ", score %.4g (normalised %.3f)", row.score(), row.normalizedScore())).append("</td>");
      }
      html.append("</tr>\n");
    }
    html.append("</tbody></table>\n");
  }

  private static void factsTable(StringBuilder html, Facts facts, List<EvaluationResults> models) {
    Map<String, String> rows = new LinkedHashMap<>();
    rows.put("data set", facts.data().toString());
    rows.put("split", facts.split());
    List<ImageRow> images = models.get(0).images();
    long defective = images.stream().filter(ImageRow::defective).count();
    rows.put("images", images.size() + " (" + (images.size() - defective) + " good, " + defective + " defective)");
    TreeSet<String> types = new TreeSet<>();
    images.stream().filter(ImageRow::defective).forEach(r -> types.add(r.defect()));
    rows.put("defect types", String.join(", ", types));
    for (EvaluationResults model : models) {
      rows.put("evaluation of " + model.name(), model.directory().toString());
    }
    rows.putAll(facts.more());
    html.append("<h2 id=\"facts\">The run</h2>\n<table id=\"facts-table\"><tbody>\n");
    rows.forEach((key, value) -> html.append("<tr><th>").append(escape(key)).append("</th><td>")
        .append(escape(value)).append("</td></tr>\n"));
    html.append("</tbody></table>\n");
  }

  /**
   * The images some model got most wrong. For each model, scores are placed on the scale from the
   * median good score (0) to the median defective score (1), so models with different score ranges
   * compare: a defective image's hardness is how far below the defective median it lies (1: as low
   * as a typical good part), a good image's how far above the good median (1: as high as a typical
   * defect). The largest over the models ranks the image.
   */
  static List<HardImage> hardest(List<EvaluationResults> models, boolean defective) {
    Map<String, List<ImageRow>> byPath = new LinkedHashMap<>();
    for (EvaluationResults model : models) {
      for (ImageRow row : model.images()) {
        byPath.computeIfAbsent(row.path(), p -> new ArrayList<>()).add(row);
      }
    }
    double[] goodMedian = new double[models.size()];
    double[] badMedian = new double[models.size()];
    for (int m = 0; m < models.size(); m++) {
      goodMedian[m] = median(models.get(m).images().stream().filter(r -> !r.defective()).mapToDouble(ImageRow::score));
      badMedian[m] = median(models.get(m).images().stream().filter(ImageRow::defective).mapToDouble(ImageRow::score));
    }
    List<HardImage> candidates = new ArrayList<>();
    for (List<ImageRow> rows : byPath.values()) {
      if (rows.size() != models.size() || rows.get(0).defective() != defective) {
        continue; // an image not every model scored is not compared
      }
      double hardness = Double.NEGATIVE_INFINITY;
      for (int m = 0; m < models.size(); m++) {
        double spread = badMedian[m] - goodMedian[m];
        if (!(spread > 0)) {
          spread = 1; // a model that does not separate the medians at all: raw distances
        }
        double score = rows.get(m).score();
        hardness = Math.max(hardness, defective ? (badMedian[m] - score) / spread : (score - goodMedian[m]) / spread);
      }
      candidates.add(new HardImage(rows.get(0).path(), rows.get(0).defect(), defective, hardness, List.copyOf(rows)));
    }
    candidates.sort(Comparator.comparingDouble(HardImage::hardness).reversed().thenComparing(HardImage::path));
    return candidates.subList(0, Math.min(GALLERY_SIZE, candidates.size()));
  }

  private static double median(java.util.stream.DoubleStream values) {
    double[] sorted = values.sorted().toArray();
    if (sorted.length == 0) {
      return Double.NaN;
    }
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }

  /** An inline PNG thumbnail, or a note when the file cannot be read. */
  private static String thumbnail(Path file) throws IOException {
    BufferedImage image = Files.isRegularFile(file) ? ImageIO.read(file.toFile()) : null;
    if (image == null) {
      return "<span class=\"na\">(" + escape(file.getFileName().toString()) + " not readable)</span>";
    }
    double scale = Math.min(1.0, (double) THUMBNAIL / Math.max(image.getWidth(), image.getHeight()));
    int width = Math.max(1, (int) Math.round(image.getWidth() * scale));
    int height = Math.max(1, (int) Math.round(image.getHeight() * scale));
    BufferedImage small = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    Graphics2D graphics = small.createGraphics();
    try {
      graphics.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      graphics.drawImage(image, 0, 0, width, height, null);
    } finally {
      graphics.dispose();
    }
    ByteArrayOutputStream png = new ByteArrayOutputStream();
    ImageIO.write(small, "png", png);
    return "<img alt=\"\" width=\"" + width + "\" height=\"" + height + "\" src=\"data:image/png;base64,"
        + Base64.getEncoder().encodeToString(png.toByteArray()) + "\">";
  }

  private static void writeSummaryCsv(List<EvaluationResults> models, List<Roc.Point> zeroMiss, Path file)
      throws IOException {
    try (CSVPrinter csv = printer(file, "model", "image_auroc", "pixel_auroc", "aupro", "f1_max",
        "zero_miss_threshold", "zero_miss_false_reject_rate", "model_threshold", "model_miss_rate",
        "model_false_reject_rate", "images_per_second", "training_seconds")) {
      for (int m = 0; m < models.size(); m++) {
        EvaluationResults model = models.get(m);
        csv.printRecord(model.name(), model.figure("image_auroc"), model.figure("pixel_auroc"), model.figure("aupro"),
            model.figure("f1_max"), zeroMiss.get(m).threshold(), zeroMiss.get(m).falsePositiveRate(),
            model.figure("model_threshold"), model.figure("model_miss_rate"), model.figure("model_false_reject_rate"),
            model.figure("images_per_second"),
            model.trainingSeconds().isPresent() ? model.trainingSeconds().getAsDouble() : "");
      }
    }
  }

  private static void writeRocCsv(List<String> names, List<List<Roc.Point>> curves, Path file) throws IOException {
    try (CSVPrinter csv = printer(file, "model", "false_positive_rate", "true_positive_rate", "threshold")) {
      for (int m = 0; m < names.size(); m++) {
        for (Roc.Point point : curves.get(m)) {
          csv.printRecord(names.get(m), point.falsePositiveRate(), point.truePositiveRate(), point.threshold());
        }
      }
    }
  }

  private static void writeDistributionsCsv(List<EvaluationResults> models, Path file) throws IOException {
    try (CSVPrinter csv = printer(file, "model", "path", "defect", "label", "score", "normalized_score")) {
      for (EvaluationResults model : models) {
        for (ImageRow row : model.images()) {
          csv.printRecord(model.name(), row.path(), row.defect(), row.label(), row.score(), row.normalizedScore());
        }
      }
    }
  }

  private static void writeDefectsCsv(List<EvaluationResults> models, Path file) throws IOException {
    try (CSVPrinter csv = printer(file, "model", "defect", "image_auroc", "pixel_auroc")) {
      for (EvaluationResults model : models) {
        Map<String, Double> pixel = model.perDefectType("pixel_auroc");
        for (Map.Entry<String, Double> entry : model.defectAurocs().entrySet()) {
          csv.printRecord(model.name(), entry.getKey(), entry.getValue(), pixel.getOrDefault(entry.getKey(), Double.NaN));
        }
      }
    }
  }

  private static void writeGalleryCsv(List<String> names, List<HardImage> misses, List<HardImage> falseAlarms,
      Path file) throws IOException {
    try (CSVPrinter csv = printer(file, "kind", "path", "defect", "hardness", "model", "decision", "score")) {
      for (List<HardImage> list : List.of(misses, falseAlarms)) {
        for (HardImage image : list) {
          for (int m = 0; m < names.size(); m++) {
            csv.printRecord(image.defective() ? "miss" : "false_alarm", image.path(), image.defect(), image.hardness(),
                names.get(m), image.rows().get(m).decision(), image.rows().get(m).score());
          }
        }
      }
    }
  }

  private static CSVPrinter printer(Path file, String... header) throws IOException {
    Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    return new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(header).get());
  }

  private static String cell(double value, String format) {
    return Double.isNaN(value) ? "<td class=\"na\">-</td>" : "<td>" + String.format(Locale.ROOT, format, value) + "</td>";
  }

  private static String percent(double value) {
    return Double.isNaN(value) ? "<td class=\"na\">-</td>" : String.format(Locale.ROOT, "<td>%.1f%%</td>", 100 * value);
  }

  static String escape(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }

  static final String STYLE = """
      body{font-family:system-ui,-apple-system,"DejaVu Sans",sans-serif;margin:2em auto;max-width:1200px;color:#222}
      h1{margin-bottom:.2em}h2{margin-top:1.6em;border-bottom:1px solid #ddd}
      .lead{color:#555}.note{color:#666;font-size:90%}
      table{border-collapse:collapse;margin:.5em 0}th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}
      th{background:#f4f4f4}td:first-child,th:first-child{text-align:left}.na{color:#999}
      .swatch{display:inline-block;width:.8em;height:.8em;margin-right:.4em;vertical-align:middle}
      .grid{display:flex;flex-wrap:wrap;gap:1em}figure.chart{margin:0}figure.chart svg{max-width:100%;height:auto}
      table.gallery td{text-align:center;vertical-align:top;font-size:85%}
      """;
}
