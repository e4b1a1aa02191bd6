package io.vigil.soak.internal;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The soak's samples over the run's frames, drawn with JFreeChart as one SVG: frames/s, memory (heap
 * after collection and resident), live engine arrays and threads, one panel each over a shared axis;
 * as SVG and as PNG.
 */
final class SoakChart {
  private static final int WIDTH = 760;
  private static final int HEIGHT = 640;
  private static final Color[] COLOURS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c)};

  private SoakChart() {}

  /** Writes {@code base}.svg and {@code base}.png (the PNG for pages that show pictures, e.g. a README). */
  static void write(List<Sample> samples, String title, Path directory, String base) throws IOException {
    NumberAxis frames = new NumberAxis("results (frames scored)");
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(frames);
    plot.setGap(8);
    plot.add(panel(samples, "frames/s", List.of("frames/s"), List.of(Sample::framesPerSecond)), 1);
    plot.add(panel(samples, "MB", List.of("resident (RSS)", "heap committed", "heap after GC"),
        List.of(Sample::residentMegabytes, Sample::heapCommittedMegabytes, Sample::heapMegabytes)), 2);
    if (samples.stream().anyMatch(s -> s.liveArrays() >= 0)) {
      plot.add(panel(samples, "live arrays", List.of("engine arrays alive"), List.of(s -> s.liveArrays())), 1);
    }
    plot.add(panel(samples, "threads", List.of("threads"), List.of(s -> s.threads())), 1);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(Color.WHITE);
    SVGGraphics2D graphics = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(graphics, new Rectangle(0, 0, WIDTH, HEIGHT));
    Files.writeString(directory.resolve(base + ".svg"), graphics.getSVGDocument());
    ImageIO.write(chart.createBufferedImage(WIDTH, HEIGHT), "png", directory.resolve(base + ".png").toFile());
  }

  private static XYPlot panel(List<Sample> samples, String axis, List<String> names,
      List<ToDoubleFunction<Sample>> values) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    for (int s = 0; s < names.size(); s++) {
      XYSeries series = new XYSeries(names.get(s), false, true);
      for (Sample sample : samples) {
        double value = values.get(s).applyAsDouble(sample);
        if (Double.isFinite(value)) {
          series.add(sample.results(), value);
        }
      }
      dataset.addSeries(series);
    }
    NumberAxis range = new NumberAxis(axis);
    range.setAutoRangeIncludesZero(true);
    XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
    for (int s = 0; s < names.size(); s++) {
      renderer.setSeriesPaint(s, COLOURS[s % COLOURS.length]);
      renderer.setSeriesStroke(s, new BasicStroke(1.5f));
    }
    XYPlot plot = new XYPlot(dataset, null, range, renderer);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
    plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
    return plot;
  }
}
