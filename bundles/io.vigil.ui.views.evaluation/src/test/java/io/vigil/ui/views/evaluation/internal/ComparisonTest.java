package io.vigil.ui.views.evaluation.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.vigil.report.compare.api.ComparedModel;
import io.vigil.report.compare.api.RocPoint;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ComparisonTest {
  private static final List<RocPoint> SQUARE = List.of(new RocPoint(0, 0, Double.POSITIVE_INFINITY),
      new RocPoint(0, 1, 0.5), new RocPoint(1, 1, 0.1));
  private static final List<RocPoint> DIAGONAL = List.of(new RocPoint(0, 0, Double.POSITIVE_INFINITY),
      new RocPoint(0.5, 0.5, 0.4), new RocPoint(1, 1, 0.1));

  @Test
  void oneRowPerModelWithDashesForMissingFigures() {
    ComparedModel full = new ComparedModel("sharp", Path.of("sharp"), Map.of("image_auroc", 1.0, "pixel_auroc", 0.91234,
        "aupro", 0.8, "f1_max", 0.95, "model_threshold", 0.42, "model_miss_rate", 0.0, "model_false_reject_rate", 0.125,
        "images_per_second", 31.26), 10, SQUARE, new RocPoint(0, 1, 0.5));
    ComparedModel bare = new ComparedModel("blunt", Path.of("blunt"), Map.of(), 10, DIAGONAL,
        new RocPoint(1, 1, 0.1));
    List<String[]> rows = Comparison.rows(List.of(full, bare));
    assertEquals(Comparison.COLUMNS.length, rows.get(0).length);
    assertArrayEquals(new String[] {"sharp", "1.0000", "0.9123", "0.8000", "0.9500", "0.5000", "0.0%", "0.4200",
        "0.0%", "12.5%", "31.3"}, rows.get(0));
    assertArrayEquals(new String[] {"blunt", "-", "-", "-", "-", "0.1000", "100.0%", "-", "-", "-", "-"}, rows.get(1));
  }

  @Test
  void theLegendGivesTheAreaUnderEachCurve() {
    assertEquals(1.0, Comparison.area(SQUARE), 1e-12);
    assertEquals(0.5, Comparison.area(DIAGONAL), 1e-12);
    ComparedModel model = new ComparedModel("blunt", Path.of("b"), Map.of(), 4, DIAGONAL, new RocPoint(1, 1, 0.1));
    assertEquals("blunt  AUROC 0.500, zero miss at 100.0% false rejects", Comparison.legend(model));
  }

  @Test
  void aRunOfTheViewComparesWithoutAFolder() {
    // 4 good (0.1, 0.2, 0.3, 0.6), 2 defective (0.5, 0.9); the model's threshold 0.55.
    List<ScoredImage> images = List.of(new ScoredImage("g0", "good", false, 0.1),
        new ScoredImage("g1", "good", false, 0.2), new ScoredImage("g2", "good", false, 0.3),
        new ScoredImage("g3", "good", false, 0.6), new ScoredImage("d0", "crack", true, 0.5),
        new ScoredImage("d1", "crack", true, 0.9));
    EvaluationRun.Outcome run = new EvaluationRun.Outcome("grid", 0.55, images,
        List.of(new EvaluationRun.MetricOutcome("image_auroc", new io.vigil.api.metric.MetricResult("image_auroc", 0.875),
            null), new EvaluationRun.MetricOutcome("aupro", null, "no maps")), java.time.Duration.ofSeconds(2));
    ComparedModel model = Comparison.fromRun(run);
    assertEquals(null, model.directory());
    // zero miss at 0.5 rejects g3 (1 of 4); at 0.55 d0 is missed (1 of 2) and g3 rejected (1 of 4); 6 images in 2 s.
    assertArrayEquals(new String[] {"grid (this view)", "0.8750", "-", "-", "-", "0.5000", "25.0%", "0.5500", "50.0%",
        "25.0%", "3.0"}, Comparison.rows(List.of(model)).get(0));
    assertEquals(0.875, Comparison.area(model.roc()), 1e-12, "the curve from the same scores");
  }

  @Test
  void neighbouringModelsGetDifferentColours() {
    for (int i = 0; i < 5; i++) {
      assertNotEquals(Comparison.colour(i), Comparison.colour(i + 1));
    }
    assertEquals(Comparison.colour(0), Comparison.colour(6), "the palette repeats after six");
  }
}
