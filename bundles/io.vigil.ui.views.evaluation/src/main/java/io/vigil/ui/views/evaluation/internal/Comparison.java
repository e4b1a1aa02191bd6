package io.vigil.ui.views.evaluation.internal;

import io.vigil.report.compare.api.ComparedModel;
import io.vigil.report.compare.api.RocPoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the compare mode shows of several evaluations: the summary table's cells and each model's
 * colour (the report's palette, so the window and the HTML report agree). No SWT here.
 */
final class Comparison {
  static final String[] COLUMNS = {"model", "image AUROC", "pixel AUROC", "AU-PRO", "F1-max", "zero-miss threshold",
      "good rejected at it", "model threshold", "misses at it", "false rejects at it", "images/s"};
  static final boolean[] NUMERIC = {false, true, true, true, true, true, true, true, true, true, true};

  /** The report's colours (ComparisonCharts), as RGB. */
  private static final int[] PALETTE = {0x1f77b4, 0xd62728, 0x2ca02c, 0x9467bd, 0xff7f0e, 0x17becf};

  private Comparison() {}

  /** Model {@code index}'s colour as 0xRRGGBB; the palette repeats after six models. */
  static int colour(int index) {
    return PALETTE[index % PALETTE.length];
  }

  /** One row per model, in the order given; "-" where the evaluation lacks a figure. */
  static List<String[]> rows(List<ComparedModel> models) {
    List<String[]> rows = new ArrayList<>();
    for (ComparedModel model : models) {
      RocPoint zeroMiss = model.zeroMiss();
      rows.add(new String[] {model.name(), fixed(model.figure(ComparedModel.IMAGE_AUROC)),
          fixed(model.figure(ComparedModel.PIXEL_AUROC)), fixed(model.figure(ComparedModel.AUPRO)),
          fixed(model.figure(ComparedModel.F1_MAX)), significant(zeroMiss.threshold()),
          percent(zeroMiss.falsePositiveRate()), significant(model.figure(ComparedModel.MODEL_THRESHOLD)),
          percent(model.figure(ComparedModel.MODEL_MISS_RATE)),
          percent(model.figure(ComparedModel.MODEL_FALSE_REJECT_RATE)),
          orDash(model.figure(ComparedModel.IMAGES_PER_SECOND), "%.1f")});
    }
    return rows;
  }

  /**
   * A run made in this view, as the comparison shows it: the figures of the metrics that computed
   * one, the model's threshold with its miss and false-reject rates, the view's image ROC and
   * zero-miss point. It has no folder (directory null), so it cannot go into the HTML report.
   */
  static ComparedModel fromRun(EvaluationRun.Outcome run) {
    Map<String, Double> figures = new HashMap<>();
    for (EvaluationRun.MetricOutcome metric : run.metrics()) {
      if (metric.result() != null) {
        figures.put(metric.name(), metric.result().value());
      }
    }
    Summaries.Operating atModel = Summaries.at(run.images(), run.calibratedThreshold());
    figures.put(ComparedModel.MODEL_THRESHOLD, run.calibratedThreshold());
    figures.put(ComparedModel.MODEL_MISS_RATE, 1 - atModel.truePositiveRate());
    figures.put(ComparedModel.MODEL_FALSE_REJECT_RATE, atModel.falsePositiveRate());
    double seconds = run.elapsed().toNanos() / 1e9;
    if (seconds > 0) {
      figures.put(ComparedModel.IMAGES_PER_SECOND, run.images().size() / seconds);
    }
    List<RocPoint> roc = Summaries.roc(run.images()).stream()
        .map(p -> new RocPoint(p.falsePositiveRate(), p.truePositiveRate(), p.threshold())).toList();
    double lowestDefect = run.images().stream().filter(ScoredImage::anomalous).mapToDouble(ScoredImage::score)
        .min().orElse(Double.NaN);
    RocPoint zeroMiss = Double.isNaN(lowestDefect) ? new RocPoint(Double.NaN, Double.NaN, Double.NaN)
        : new RocPoint(Summaries.at(run.images(), lowestDefect).falsePositiveRate(), 1.0, lowestDefect);
    return new ComparedModel(run.detector() + " (this view)", null, figures, run.images().size(), roc, zeroMiss);
  }

  /** The legend line of model {@code index}: its name, image AUROC from its curve, zero-miss false rejects. */
  static String legend(ComparedModel model) {
    return String.format(Locale.ROOT, "%s  AUROC %.3f, zero miss at %s", model.name(), area(model.roc()),
        percent(model.zeroMiss().falsePositiveRate()) + " false rejects");
  }

  /** Trapezoidal area under a curve. */
  static double area(List<RocPoint> curve) {
    double area = 0;
    for (int i = 1; i < curve.size(); i++) {
      RocPoint a = curve.get(i - 1);
      RocPoint b = curve.get(i);
      area += (b.falsePositiveRate() - a.falsePositiveRate()) * (a.truePositiveRate() + b.truePositiveRate()) / 2;
    }
    return area;
  }

  private static String fixed(double value) {
    return orDash(value, "%.4f");
  }

  private static String significant(double value) {
    return orDash(value, "%.4g");
  }

  private static String percent(double share) {
    return Double.isNaN(share) ? "-" : String.format(Locale.ROOT, "%.1f%%", 100 * share);
  }

  private static String orDash(double value, String format) {
    return Double.isNaN(value) ? "-" : String.format(Locale.ROOT, format, value);
  }
}
