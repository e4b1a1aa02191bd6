package io.vigil.report.csv.internal;

import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.metric.CurvePoint;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The report's charts drawn off screen with JFreeChart. Kept apart from the DS component so that
 * inspecting the component class never loads the charting library.
 */
final class Charts {
  private Charts() {}

  static BufferedImage roc(EvaluationReport report, int width, int height) {
    return rocChart(report).createBufferedImage(width, height);
  }

  static BufferedImage defects(EvaluationReport report, Map<String, int[]> caught, int width, int height) {
    return defectChart(report, caught).createBufferedImage(width, height);
  }

  static JFreeChart rocChart(EvaluationReport report) {
    MetricResult roc = report.metric(StandardMetrics.ROC).orElse(null);
    XYSeries curve = new XYSeries("model", false, true);
    List<CurvePoint> points = roc == null ? List.of() : roc.curve();
    for (CurvePoint point : points) {
      curve.add(point.x(), point.y());
    }
    XYSeries chance = new XYSeries("chance", false, true);
    chance.add(0, 0);
    chance.add(1, 1);
    XYSeriesCollection dataset = new XYSeriesCollection();
    dataset.addSeries(curve);
    dataset.addSeries(chance);
    String title = String.format(Locale.ROOT, "Image ROC - %s, AUROC %.4f (%d images)", report.run().detectorName(),
        roc == null ? Double.NaN : roc.value(), report.images());
    JFreeChart chart = ChartFactory.createXYLineChart(title, "False positive rate (good parts rejected)",
        "True positive rate (defective parts caught)", dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    renderer.setSeriesPaint(0, new Color(0x1f77b4));
    renderer.setSeriesStroke(0, new BasicStroke(2.5f));
    renderer.setSeriesPaint(1, Color.GRAY);
    renderer.setSeriesStroke(1, new BasicStroke(1f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 6f}, 0f));
    plot.setRenderer(renderer);
    return chart;
  }

  static JFreeChart defectChart(EvaluationReport report, Map<String, int[]> caught) {
    Map<String, Double> auroc = report.metric(StandardMetrics.IMAGE_AUROC).map(MetricResult::details).orElse(Map.of());
    Map<String, Double> f1 = report.metric(StandardMetrics.F1_MAX).map(MetricResult::details).orElse(Map.of());
    Map<String, Double> pixel = report.metric(StandardMetrics.PIXEL_AUROC).map(MetricResult::details).orElse(Map.of());
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (Map.Entry<String, int[]> entry : caught.entrySet()) {
      String type = entry.getKey();
      String category = type + " (" + entry.getValue()[0] + ")";
      dataset.addValue(finite(auroc.get(StandardMetrics.defectKey(type))), "image AUROC", category);
      dataset.addValue(finite(f1.get(StandardMetrics.defectKey(type))), "F1-max", category);
      dataset.addValue(finite(pixel.get(StandardMetrics.defectKey(type))), "pixel AUROC", category);
      dataset.addValue((double) entry.getValue()[1] / entry.getValue()[0], "caught at model threshold", category);
    }
    JFreeChart chart = ChartFactory.createBarChart("Per defect type - " + report.run().detectorName(),
        "defect type (images)", "value", dataset, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.05);
    return chart;
  }

  private static Double finite(Double value) {
    return value == null || !Double.isFinite(value) ? null : value;
  }
}
