package io.vigil.report.compare.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The few-shot curve's page: mean and spread (min to max over the seeds) per image count, as SVG. */
final class ShotsPage {
  private ShotsPage() {}

  /** {@code rows} as CurveCommand writes them to curve.csv. */
  /** {@code xLabel}: what column 1 of the rows counts; {@code logScale} for image counts. */
  static Path write(String detector, Path data, List<String[]> rows, Path file, String xLabel, boolean logScale)
      throws IOException {
    String[] columns = {"validation_image_auroc", "validation_pixel_auroc", "test_image_auroc", "test_pixel_auroc"};
    String[] labels = {"validation, image AUROC", "validation, pixel AUROC", "test split, image AUROC",
        "test split, pixel AUROC"};
    YIntervalSeriesCollection dataset = new YIntervalSeriesCollection();
    List<Map<Integer, double[]>> summaries = new ArrayList<>();
    for (int c = 0; c < columns.length; c++) {
      int column = 5 + c;
      Map<Integer, List<Double>> byCount = new TreeMap<>();
      for (String[] row : rows) {
        if (!row[column].isEmpty()) {
          byCount.computeIfAbsent(Integer.parseInt(row[1]), k -> new ArrayList<>()).add(Double.parseDouble(row[column]));
        }
      }
      Map<Integer, double[]> summary = new TreeMap<>();
      YIntervalSeries series = new YIntervalSeries(labels[c]);
      byCount.forEach((count, values) -> {
        double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double min = values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
        double max = values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
        series.add(count, mean, min, max);
        summary.put(count, new double[] {mean, min, max, values.size()});
      });
      summaries.add(summary);
      if (series.getItemCount() > 0) {
        dataset.addSeries(series);
      }
    }
    JFreeChart chart = ChartFactory.createXYLineChart(detector + ": AUROC against " + xLabel.toLowerCase(java.util.Locale.ROOT),
        xLabel, "AUROC (mean; bars: min to max over seeds)", dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    if (logScale) {
      LogAxis counts = new LogAxis(xLabel + " (log scale)");
      counts.setBase(2);
      counts.setSmallestValue(1);
      plot.setDomainAxis(counts);
    }
    XYErrorRenderer renderer = new XYErrorRenderer();
    renderer.setDefaultLinesVisible(true);
    renderer.setDrawXError(false);
    for (int s = 0; s < dataset.getSeriesCount(); s++) {
      renderer.setSeriesPaint(s, ComparisonCharts.colour(s));
      renderer.setSeriesStroke(s, new BasicStroke(2f));
    }
    plot.setRenderer(renderer);
    SVGGraphics2D graphics = new SVGGraphics2D(760, 480);
    chart.draw(graphics, new Rectangle(0, 0, 760, 480));

    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Vigil few-shot curve: ")
        .append(ComparisonReport.escape(detector)).append("</title><style>").append(ComparisonReport.STYLE)
        .append("</style></head><body>\n<h1>Few-shot curve: ").append(ComparisonReport.escape(detector))
        .append("</h1>\n<p class=\"lead\">Against ").append(ComparisonReport.escape(xLabel)).append(". Data set <code>").append(ComparisonReport.escape(data.toString()))
        .append("</code>. Validation: good images held out of the train split per seed (never trained on), each ")
        .append("also with a synthetic defect; the test split is reported separately and chose nothing. ")
        .append("Every run is a row of <code>curve.csv</code>, its seed recorded.</p>\n")
        .append("<figure class=\"chart\" id=\"chart-shots\">").append(graphics.getSVGElement()).append("</figure>\n");
    html.append("<table id=\"curve-table\"><thead><tr><th>").append(ComparisonReport.escape(xLabel)).append("</th>");
    for (String label : labels) {
      html.append("<th>").append(label).append(" (mean, min-max)</th>");
    }
    html.append("<th>seeds</th></tr></thead><tbody>\n");
    for (Integer count : summaries.get(0).keySet()) {
      html.append("<tr><td>").append(count).append("</td>");
      int seeds = 0;
      for (Map<Integer, double[]> summary : summaries) {
        double[] s = summary.get(count);
        html.append(s == null ? "<td class=\"na\">-</td>"
            : String.format(java.util.Locale.ROOT, "<td>%.4f (%.4f-%.4f)</td>", s[0], s[1], s[2]));
        seeds = s == null ? seeds : Math.max(seeds, (int) s[3]);
      }
      html.append("<td>").append(seeds).append("</td></tr>\n");
    }
    html.append("</tbody></table>\n</body></html>\n");
    Files.writeString(file, html, StandardCharsets.UTF_8);
    return file;
  }
}
