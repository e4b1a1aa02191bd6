package io.vigil.ui.views.evaluation.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.ui.views.evaluation.internal.Summaries.DefectBar;
import io.vigil.ui.views.evaluation.internal.Summaries.Operating;
import java.util.List;
import org.junit.jupiter.api.Test;

class SummariesTest {
  private static final List<ScoredImage> IMAGES = List.of(
      new ScoredImage("g1", "good", false, 0.1),
      new ScoredImage("g2", "good", false, 0.2),
      new ScoredImage("g3", "good", false, 0.6),
      new ScoredImage("s1", "scratch", true, 0.5),
      new ScoredImage("s2", "scratch", true, 0.9),
      new ScoredImage("h1", "hole", true, 0.8));

  @Test
  void rocAndAucFromTheScores() {
    var roc = Summaries.roc(IMAGES);
    assertEquals(0, roc.get(0).falsePositiveRate());
    assertEquals(1, roc.get(roc.size() - 1).truePositiveRate(), 1e-12);
    assertEquals(1, roc.get(roc.size() - 1).falsePositiveRate(), 1e-12);
    // Pairs (defect, good) ranked right: 8 of 9 (0.5 < 0.6 is the only miss).
    assertEquals(8.0 / 9.0, Summaries.auc(roc), 1e-12);
  }

  @Test
  void tiedScoresCountHalf() {
    List<ScoredImage> tied = List.of(new ScoredImage("g", "good", false, 0.5), new ScoredImage("d", "x", true, 0.5));
    assertEquals(0.5, Summaries.auc(Summaries.roc(tied)), 1e-12);
  }

  @Test
  void countsAtAThresholdRejectFromTheThresholdOn() {
    Operating at = Summaries.at(IMAGES, 0.6);
    assertEquals(2, at.truePositives());
    assertEquals(1, at.falsePositives());
    assertEquals(2, at.trueNegatives());
    assertEquals(1, at.falseNegatives());
    assertEquals(2.0 / 3.0, at.truePositiveRate(), 1e-12);
  }

  @Test
  void barsWorstMistakesAndTheirOrder() {
    assertEquals(List.of(new DefectBar("good", 3, 1), new DefectBar("hole", 1, 1), new DefectBar("scratch", 2, 1)),
        Summaries.defectBars(IMAGES, 0.6));
    assertEquals(List.of("g3", "g2"), Summaries.falsePositives(IMAGES, 0.15).stream().map(ScoredImage::id).toList());
    assertEquals(List.of("s1", "h1"), Summaries.falseNegatives(IMAGES, 0.85).stream().map(ScoredImage::id).toList());
  }
}
