package io.vigil.report.compare.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.awt.geom.Ellipse2D;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.statistics.HistogramDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/** The comparison's charts, drawn by JFreeChart into SVG (JFreeSVG), so they stay sharp zoomed and printed. */
final class ComparisonCharts {
  /** One colour per model, the same in every chart. */
  static final Color[] PALETTE = {
      new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
      new Color(0x17becf)};

  private ComparisonCharts() {}

  static Color colour(int model) {
    return PALETTE[model % PALETTE.length];
  }

  /** Every model's ROC on one chart, each zero-miss point marked with a ring. */
  static String roc(List<String> names, List<List<Roc.Point>> curves, List<Roc.Point> zeroMiss) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (int m = 0; m < names.size(); m++) {
      XYSeries series = new XYSeries(names.get(m), false, true);
      for (Roc.Point point : curves.get(m)) {
        series.add(point.falsePositiveRate(), point.truePositiveRate());
      }
      dataset.addSeries(series);
    }
    for (int m = 0; m < names.size(); m++) {
      XYSeries marker = new XYSeries(names.get(m) + " zero-miss", false, true);
      if (!Double.isNaN(zeroMiss.get(m).falsePositiveRate())) {
        marker.add(zeroMiss.get(m).falsePositiveRate(), 1.0);
      }
      dataset.addSeries(marker);
    }
    JFreeChart chart = ChartFactory.createXYLineChart("Image ROC (rings: the zero-miss threshold)",
        "False positive rate (good parts rejected)", "True positive rate (defective parts caught)", dataset,
        PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    style(plot);
    ((NumberAxis) plot.getDomainAxis()).setRange(0, 1);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1.02);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer();
    for (int m = 0; m < names.size(); m++) {
      renderer.setSeriesPaint(m, colour(m));
      renderer.setSeriesStroke(m, new BasicStroke(2f));
      renderer.setSeriesShapesVisible(m, false);
      int marker = names.size() + m;
      renderer.setSeriesPaint(marker, colour(m));
      renderer.setSeriesLinesVisible(marker, false);
      renderer.setSeriesShape(marker, new Ellipse2D.Double(-6, -6, 12, 12));
      renderer.setSeriesShapesFilled(marker, false);
      renderer.setSeriesVisibleInLegend(marker, false);
    }
    plot.setRenderer(renderer);
    return svg(chart, 720, 520);
  }

  /** A model's normalised scores, good vs. defective, as overlaid histograms. */
  static String distribution(String name, double[] good, double[] defective, int model) {
    HistogramDataset dataset = new HistogramDataset();
    double low = Math.min(min(good), min(defective));
    double high = Math.max(max(good), max(defective));
    if (!(high > low)) {
      high = low + 1;
    }
    if (good.length > 0) {
      dataset.addSeries("good (" + good.length + ")", good, 30, low, high);
    }
    if (defective.length > 0) {
      dataset.addSeries("defective (" + defective.length + ")", defective, 30, low, high);
    }
    JFreeChart chart = ChartFactory.createHistogram(name + ": score distribution", "Normalised score", "Images",
        dataset, PlotOrientation.VERTICAL, true, false, false);
    XYPlot plot = chart.getXYPlot();
    style(plot);
    plot.setForegroundAlpha(0.6f);
    XYBarRenderer renderer = (XYBarRenderer) plot.getRenderer();
    renderer.setShadowVisible(false);
    renderer.setDrawBarOutline(false);
    renderer.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    renderer.setSeriesPaint(0, new Color(0x2ca02c));
    renderer.setSeriesPaint(1, colour(model).equals(new Color(0x2ca02c)) ? new Color(0xd62728) : colour(model));
    return svg(chart, 520, 320);
  }

  /** Image AUROC per defect type, one bar per model. */
  static String defects(List<String> names, List<Map<String, Double>> aurocs) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    for (int m = 0; m < names.size(); m++) {
      for (Map.Entry<String, Double> entry : aurocs.get(m).entrySet()) {
        dataset.addValue(entry.getValue(), names.get(m), entry.getKey());
      }
    }
    JFreeChart chart = ChartFactory.createBarChart("Image AUROC per defect type", "Defect type", "Image AUROC",
        dataset, PlotOrientation.VERTICAL, true, false, false);
    CategoryPlot plot = chart.getCategoryPlot();
    plot.setBackgroundPaint(Color.WHITE);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    ((NumberAxis) plot.getRangeAxis()).setRange(0, 1);
    org.jfree.chart.renderer.category.BarRenderer renderer =
        (org.jfree.chart.renderer.category.BarRenderer) plot.getRenderer();
    renderer.setShadowVisible(false);
    renderer.setBarPainter(new org.jfree.chart.renderer.category.StandardBarPainter());
    for (int m = 0; m < names.size(); m++) {
      renderer.setSeriesPaint(m, colour(m));
    }
    return svg(chart, 720, 380);
  }

  private static void style(XYPlot plot) {
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
  }

  private static String svg(JFreeChart chart, int width, int height) {
    SVGGraphics2D graphics = new SVGGraphics2D(width, height);
    chart.draw(graphics, new Rectangle(0, 0, width, height));
    return graphics.getSVGElement();
  }

  private static double min(double[] values) {
    double min = Double.POSITIVE_INFINITY;
    for (double v : values) {
      min = Math.min(min, v);
    }
    return min;
  }

  private static double max(double[] values) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : values) {
      max = Math.max(max, v);
    }
    return max;
  }
}
