package io.vigil.metrics.internal;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The image ROC curve: one point (false positive rate, true positive rate, threshold) per
 * distinct image score, from (0, 0) at threshold +infinity to (1, 1); the value is its area.
 */
@Component(property = Metric.NAME_PROPERTY + "=" + StandardMetrics.ROC)
public class RocMetric implements Metric {

  @Override
  public String name() {
    return StandardMetrics.ROC;
  }

  @Override
  public Accumulator newAccumulator() {
    return new ImageScores.Accumulator() {
      @Override
      public MetricResult result() {
        ScoreDistribution distribution = images.distribution();
        return new MetricResult(name(), Curves.area(distribution, 1.0).value(),
            Map.of("points", (double) distribution.size() + 1), Curves.roc(distribution));
      }
    };
  }
}
