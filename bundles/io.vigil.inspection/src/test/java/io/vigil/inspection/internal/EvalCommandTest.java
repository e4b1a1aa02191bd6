package io.vigil.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.detector.Calibration;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EvalCommandTest {

  /** The console lists each defect type's image and pixel AUROC, "-" where a metric has no figure. */
  @Test
  void theSummaryListsEachDefectTypesFigures() {
    MetricResult image = new MetricResult(StandardMetrics.IMAGE_AUROC, 0.9,
        Map.of("defect.crack", 0.85, "defect.hole", 1.0, "images.crack", 3.0), List.of());
    MetricResult pixel = new MetricResult(StandardMetrics.PIXEL_AUROC, 0.8,
        Map.of("defect.crack", 0.75, "defect.crack.error_bound", 1e-5, "pixels", 100.0), List.of());
    EvaluationRun run = new EvaluationRun("m", "simplenet", new Calibration(0, 1, 2), "mvtec-ad", Path.of("m"),
        Path.of("d"), "test");
    EvaluationReport report = new EvaluationReport(run, 8, List.of(), Duration.ofSeconds(2),
        Map.of(StandardMetrics.IMAGE_AUROC, image, StandardMetrics.PIXEL_AUROC, pixel), Path.of("r"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EvalCommand.printPerDefectType(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals(List.of(
        "  per defect type      image AUROC  pixel AUROC",
        "    crack              0.8500       0.7500",
        "    hole               1.0000       -"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
  }

  @Test
  void nothingWithoutPerTypeFigures() {
    MetricResult image = new MetricResult(StandardMetrics.IMAGE_AUROC, 0.9, Map.of(), List.of());
    EvaluationRun run = new EvaluationRun("m", "simplenet", new Calibration(0, 1, 2), "folder", Path.of("m"),
        Path.of("d"), "test");
    EvaluationReport report = new EvaluationReport(run, 8, List.of(), Duration.ofSeconds(2),
        Map.of(StandardMetrics.IMAGE_AUROC, image), Path.of("r"));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    EvalCommand.printPerDefectType(report, new PrintStream(bytes, true, StandardCharsets.UTF_8));
    assertEquals("", bytes.toString(StandardCharsets.UTF_8));
  }
}
