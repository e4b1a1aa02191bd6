package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detector;
import io.vigil.api.metric.Metric;
import io.vigil.api.source.DatasetFormat;
import io.vigil.dataset.synthetic.SyntheticDataset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

/** The evaluation view scores a labelled split and shows metrics, ROC, bars and the worst mistakes. */
class EvaluationViewTest {
  private static final SyntheticDataset.Spec SPEC = new SyntheticDataset.Spec(11, 64, 16, 6, 4);

  @TempDir Path directory;
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private UiDriver ui;

  @BeforeEach
  void setUp() throws Exception {
    Path data = directory.resolve("surfaces");
    SyntheticDataset.generate(data, SPEC, SyntheticDataset.Progress.NONE);
    DatasetFormat mvtec = mvtecFormat();
    Detector detector = new FixtureFactory("fixture", Duration.ZERO).train(mvtec.open(data, "train"),
        Map.of("name", "grid-eval", "epochs", 1), directory.resolve("model"), io.vigil.api.detector.TrainingMonitor.NONE);
    ui = UiDriver.open("evaluation");
    registrations.add(ui.context.registerService(Detector.class, detector,
        new Hashtable<>(Map.of(Detector.NAME_PROPERTY, "grid-eval"))));
    registrations.add(ui.context.registerService(Metric.class, new ScoreGapMetric(),
        new Hashtable<>(Map.of(Metric.NAME_PROPERTY, ScoreGapMetric.NAME))));
    ui.awaitWidget("evaluation.detector");
    await(() -> ui.items("evaluation.detector").contains("grid-eval"), () -> "the detector in the list");
    ui.choose("evaluation.detector", "grid-eval");
    ui.enter("evaluation.data", data.toString());
    await(() -> ui.items("evaluation.split").contains("test"), () -> "the test split");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      registrations.forEach(ServiceRegistration::unregister);
    } finally {
      ui.close();
    }
  }

  @Test
  void anEvaluationFillsTheMetricsCurveBarsAndMistakes() throws Exception {
    ui.press("evaluation.run");
    int images = SPEC.testGood() + 3 * SPEC.testPerDefect();
    await(() -> ui.text("evaluation.progress.text").startsWith(images + " images scored"),
        () -> "the evaluation done: " + ui.text("evaluation.progress.text"));

    List<List<String>> metrics = ui.rows("evaluation.metrics");
    assertEquals("image_auroc (view)", metrics.get(0).get(0));
    double auroc = Double.parseDouble(metrics.get(0).get(1));
    assertTrue(auroc > 0.5 && auroc <= 1, "AUROC " + auroc);
    List<String> gap = metrics.stream().filter(row -> row.get(0).equals(ScoreGapMetric.NAME)).findFirst().orElseThrow();
    assertTrue(Double.parseDouble(gap.get(1)) > 0, "defects score higher than good parts: " + gap);
    assertTrue(gap.get(2).contains("good_mean"), gap.get(2));
    assertTrue(ui.text("evaluation.summary").contains("of defects caught"), ui.text("evaluation.summary"));

    // Threshold 0: every good part is a false positive, listed worst (highest score) first.
    ui.type("evaluation.threshold", "0");
    List<List<String>> falsePositives = ui.rows("evaluation.fp");
    assertEquals(SPEC.testGood(), falsePositives.size());
    assertTrue(falsePositives.stream().allMatch(row -> row.get(1).equals("good")));
    assertTrue(score(falsePositives.get(0)) >= score(falsePositives.get(falsePositives.size() - 1)));
    assertEquals(0, ui.rows("evaluation.fn").size());

    // A huge threshold: every defect passes; the list sorts by the clicked column, twice reverses.
    ui.type("evaluation.threshold", "1e9");
    List<List<String>> falseNegatives = ui.rows("evaluation.fn");
    assertEquals(3 * SPEC.testPerDefect(), falseNegatives.size());
    ui.clickColumn("evaluation.fn", 2);
    List<List<String>> ascending = ui.rows("evaluation.fn");
    ui.clickColumn("evaluation.fn", 2);
    List<List<String>> descending = ui.rows("evaluation.fn");
    assertTrue(score(ascending.get(0)) <= score(ascending.get(ascending.size() - 1)));
    assertTrue(score(descending.get(0)) >= score(descending.get(descending.size() - 1)));

    ui.press("evaluation.threshold.reset");
    ui.pauseForScreenshot(300); // the table repaints after the reset
    ui.screenshot("evaluation-view");

    // The run goes into the compare mode beside evaluation folders; not into the HTML report (no folder).
    ui.selectTabItem("evaluation.mode", "Compare");
    ui.press("evaluation.compare.addrun");
    List<List<String>> compared = ui.rows("evaluation.compare.table");
    assertEquals(1, compared.size());
    assertEquals("grid-eval (this view)", compared.get(0).get(0));
    assertTrue(compared.get(0).get(5).matches("[0-9.e+-]+"), "a zero-miss threshold: " + compared.get(0));
    ui.type("evaluation.compare.out", directory.resolve("comparison").toString());
    ui.press("evaluation.compare.report");
    assertTrue(ui.text("evaluation.compare.status").startsWith("The report is made from evaluation folders"),
        ui.text("evaluation.compare.status"));
  }

  private static double score(List<String> row) {
    return Double.parseDouble(row.get(2));
  }

  private DatasetFormat mvtecFormat() throws Exception {
    var context = org.osgi.framework.FrameworkUtil.getBundle(getClass()).getBundleContext();
    UiDriver.await(() -> {
      try {
        return !context.getServiceReferences(DatasetFormat.class, "(vigil.dataset.format=mvtec-ad)").isEmpty();
      } catch (org.osgi.framework.InvalidSyntaxException e) {
        throw new IllegalStateException(e);
      }
    }, () -> "the mvtec-ad format");
    return context.getService(
        context.getServiceReferences(DatasetFormat.class, "(vigil.dataset.format=mvtec-ad)").iterator().next());
  }
}
