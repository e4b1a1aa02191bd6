package io.vigil.report.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class RocTest {
  @Test
  void pointsAreScikitLearnsRocCurveWithAllThresholds() {
    // sklearn.metrics.roc_curve([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], drop_intermediate=False):
    // fpr [0, 0, 0.5, 0.5, 1], tpr [0, 0.5, 0.5, 1, 1], thresholds [inf, 0.8, 0.4, 0.35, 0.1]; AUC 0.75.
    double[] scores = {0.1, 0.4, 0.35, 0.8};
    int[] labels = {0, 0, 1, 1};
    List<Roc.Point> curve = Roc.curve(scores, labels);
    double[][] expected = {{0, 0}, {0, 0.5}, {0.5, 0.5}, {0.5, 1}, {1, 1}};
    assertEquals(expected.length, curve.size());
    for (int i = 0; i < expected.length; i++) {
      assertEquals(expected[i][0], curve.get(i).falsePositiveRate(), 1e-12, "fpr " + i);
      assertEquals(expected[i][1], curve.get(i).truePositiveRate(), 1e-12, "tpr " + i);
    }
    assertEquals(0.8, curve.get(1).threshold());
    assertEquals(0.75, Roc.area(curve), 1e-12);
  }

  @Test
  void tiedScoresMakeOnePointAndTheZeroMissPointRejectsEveryGoodPartAtOrAboveTheLowestDefect() {
    double[] scores = {0.5, 0.5, 0.2, 0.9, 0.5};
    int[] labels = {0, 1, 0, 1, 0};
    List<Roc.Point> curve = Roc.curve(scores, labels);
    assertEquals(4, curve.size(), "inf, 0.9, 0.5 (three tied), 0.2");
    assertEquals(2.0 / 3, curve.get(2).falsePositiveRate(), 1e-12);
    Roc.Point zeroMiss = Roc.zeroMiss(scores, labels);
    assertEquals(0.5, zeroMiss.threshold());
    assertEquals(2.0 / 3, zeroMiss.falsePositiveRate(), 1e-12, "two of three good parts score 0.5 or more");
  }
}
