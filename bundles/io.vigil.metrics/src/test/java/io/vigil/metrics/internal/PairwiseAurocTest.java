package io.vigil.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.metric.ScoredFrame;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Random cases against the definition of AUROC, computed here independently by brute force:
 * the share of (defect, good) pairs where the defect scores higher, ties counting half
 * (Mann-Whitney U / (P N), which is what sklearn's roc_auc_score equals).
 */
class PairwiseAurocTest {

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 4, 5, 6, 7, 8})
  void imageAndPixelAurocEqualThePairwiseDefinition(int seed) {
    Random random = new Random(seed);
    int levels = 1 + random.nextInt(40); // few levels: many ties within and across classes
    int width = 3 + random.nextInt(6);
    int height = 2 + random.nextInt(5);
    List<ScoredFrame> frames = new ArrayList<>();
    List<Float> positives = new ArrayList<>();
    List<Float> negatives = new ArrayList<>();
    for (int f = 0; f < 12; f++) {
      float[] map = new float[width * height];
      boolean[] mask = new boolean[width * height];
      for (int p = 0; p < map.length; p++) {
        mask[p] = f % 2 == 0 && random.nextInt(4) == 0;
        map[p] = (random.nextInt(levels) + (mask[p] ? random.nextInt(3) : 0)) / (float) levels - 0.5f;
        (mask[p] ? positives : negatives).add(map[p]);
      }
      frames.add(Frames.pixels("f" + f, width, height, map, mask));
    }
    assertEquals(pairwise(positives, negatives),
        Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), frames).value(), 1e-12, "pixel AUROC");

    List<Float> defectScores = new ArrayList<>();
    List<Float> goodScores = new ArrayList<>();
    List<ScoredFrame> images = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      boolean defect = random.nextBoolean();
      float score = random.nextInt(levels) + (defect ? random.nextInt(4) : 0);
      (defect ? defectScores : goodScores).add(score);
      images.add(defect ? Frames.defect("d", score) : Frames.good(score));
    }
    assertEquals(pairwise(defectScores, goodScores), new ImageAurocMetric().compute(images).value(), 1e-12, "image AUROC");
  }

  private static double pairwise(List<Float> positives, List<Float> negatives) {
    double wins = 0;
    for (float p : positives) {
      for (float n : negatives) {
        wins += p > n ? 1 : p == n ? 0.5 : 0;
      }
    }
    return wins / ((double) positives.size() * negatives.size());
  }
}
