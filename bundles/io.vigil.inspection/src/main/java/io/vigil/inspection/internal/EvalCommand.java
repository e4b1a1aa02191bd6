package io.vigil.inspection.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.Evaluator;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import picocli.CommandLine.Option;

/** {@code ./vigil eval --model DIR --data DIR --out OUT}: scores a labelled test split and writes the report. */
@Component(property = Command.NAME_PROPERTY + "=eval")
public class EvalCommand implements Command {
  private final Evaluator evaluator;

  @Activate
  public EvalCommand(@Reference Evaluator evaluator) {
    this.evaluator = evaluator;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext console) {
    return new Eval(console);
  }

  @picocli.CommandLine.Command(name = "eval",
      description = {"Evaluate a model on a labelled data set: metrics, CSV tables, maps and plots.",
          "Scores every image of a labelled split with the model (loaded by whichever detector factory recognises "
              + "DIR) and writes OUT/summary.csv, OUT/images.csv, OUT/maps/<defect>/<name>.tiff, OUT/heatmaps/, "
              + "OUT/roc.png and OUT/defects.png. OUT appears complete or not at all."})
  final class Eval implements Callable<Integer> {
    private final CommandContext console;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a saved model directory")
    Path model;
    @Option(names = "--data", required = true, paramLabel = "DIR",
        description = "a labelled data set (MVTec AD layout or any format a bundle registers)")
    Path data;
    @Option(names = "--out", required = true, paramLabel = "OUT",
        description = "the report directory; must not exist unless --overwrite")
    Path out;
    @Option(names = "--split", paramLabel = "NAME", defaultValue = EvaluationRequest.TEST_SPLIT,
        description = "the split to score (default: ${DEFAULT-VALUE})")
    String split;
    @Option(names = "--overwrite", description = "replace OUT once the new report is complete")
    boolean overwrite;
    @Option(names = "--skip-unreadable",
        description = "go on past unreadable images (listed in the summary) instead of stopping")
    boolean skipUnreadable;

    Eval(CommandContext console) {
      this.console = console;
    }

    @Override
    public Integer call() throws Exception {
      Path work = console.workingDirectory();
      EvaluationRequest request = new EvaluationRequest(work.resolve(model), work.resolve(data), split,
          work.resolve(out), overwrite, skipUnreadable);
      EvaluationReport report;
      try {
        report = evaluator.evaluate(request, new ConsoleProgress(console.err(), console.interactive()));
      } catch (EvaluationException e) {
        console.err().println("vigil eval: " + e.getMessage());
        return 1;
      }
      printSummary(report, console.out());
      return 0;
    }
  }

  static void printSummary(EvaluationReport report, PrintStream out) {
    out.printf(Locale.ROOT, "%d images in %.1f s (%.2f images/s) with %s (%s)%n", report.images(),
        report.elapsed().toNanos() / 1e9, report.imagesPerSecond(), report.run().detectorName(), report.run().algorithm());
    for (String name : List.of(StandardMetrics.IMAGE_AUROC, StandardMetrics.PIXEL_AUROC, StandardMetrics.AUPRO,
        StandardMetrics.F1_MAX, StandardMetrics.ZERO_MISS_THRESHOLD)) {
      MetricResult result = report.metrics().get(name);
      if (result != null) {
        out.printf(Locale.ROOT, "  %-20s %.4f%s%n", name, result.value(), extra(result));
      }
    }
    printPerDefectType(report, out);
    for (String skipped : report.skipped()) {
      out.println("  skipped: " + skipped);
    }
    out.println("Report: " + report.output());
  }

  /** Image and pixel AUROC of each defect type against the good images, where the metrics give them. */
  static void printPerDefectType(EvaluationReport report, PrintStream out) {
    Map<String, Double> image = perType(report, StandardMetrics.IMAGE_AUROC);
    Map<String, Double> pixel = perType(report, StandardMetrics.PIXEL_AUROC);
    if (image.isEmpty() && pixel.isEmpty()) {
      return;
    }
    out.printf(Locale.ROOT, "  %-20s %-12s %s%n", "per defect type", "image AUROC", "pixel AUROC");
    SortedSet<String> types = new TreeSet<>(image.keySet());
    types.addAll(pixel.keySet());
    for (String type : types) {
      out.printf(Locale.ROOT, "    %-18s %-12s %s%n", type, figure(image.get(type)), figure(pixel.get(type)));
    }
  }

  private static Map<String, Double> perType(EvaluationReport report, String metric) {
    return report.metric(metric).<Map<String, Double>>map(result -> StandardMetrics.byDefectType(result.details()))
        .orElse(Map.of());
  }

  private static String figure(Double value) {
    return value == null || value.isNaN() ? "-" : String.format(Locale.ROOT, "%.4f", value);
  }

  private static String extra(MetricResult result) {
    Double threshold = result.details().get(StandardMetrics.THRESHOLD);
    Double falseRejects = result.details().get(StandardMetrics.FALSE_REJECT_RATE);
    Double bound = result.details().get(StandardMetrics.ERROR_BOUND);
    if (threshold != null) {
      return String.format(Locale.ROOT, "  at threshold %.4f", threshold);
    }
    if (falseRejects != null) {
      return String.format(Locale.ROOT, "  rejecting %.1f%% of good parts", 100 * falseRejects);
    }
    if (bound != null && bound > 0) {
      return String.format(Locale.ROOT, "  (streamed, within %.1e)", bound);
    }
    return "";
  }
}
