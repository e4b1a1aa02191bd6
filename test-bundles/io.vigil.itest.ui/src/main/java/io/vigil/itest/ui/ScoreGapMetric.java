package io.vigil.itest.ui;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import java.util.Map;

/** A metric for the tests (the real ones are in io.vigil.metrics): mean defect score less mean good score. */
final class ScoreGapMetric implements Metric {
  static final String NAME = "score_gap";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Accumulator newAccumulator() {
    return new Accumulator() {
      private double good;
      private double defect;
      private int goods;
      private int defects;

      @Override
      public void add(ScoredFrame frame) {
        if (frame.truth().anomalous()) {
          defect += frame.score();
          defects++;
        } else {
          good += frame.score();
          goods++;
        }
      }

      @Override
      public MetricResult result() {
        double goodMean = good / Math.max(1, goods);
        double defectMean = defect / Math.max(1, defects);
        return new MetricResult(NAME, defectMean - goodMean, Map.of("good_mean", goodMean, "defect_mean", defectMean),
            null);
      }
    };
  }
}
