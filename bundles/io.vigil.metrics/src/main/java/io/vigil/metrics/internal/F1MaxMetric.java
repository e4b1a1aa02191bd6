package io.vigil.metrics.internal;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * F1-max: the best F1 score of the image decision over every threshold (each distinct image
 * score), with that threshold, its precision and recall. Ties go to the lowest threshold.
 * Details {@code defect.crack}: the F1-max of the good images against that type alone.
 */
@Component(property = Metric.NAME_PROPERTY + "=" + StandardMetrics.F1_MAX)
public class F1MaxMetric implements Metric {

  @Override
  public String name() {
    return StandardMetrics.F1_MAX;
  }

  @Override
  public Accumulator newAccumulator() {
    return new ImageScores.Accumulator() {
      @Override
      public MetricResult result() {
        ImageScores.F1 best = ImageScores.f1Max(images.distribution());
        Map<String, Double> details = new HashMap<>();
        details.put(StandardMetrics.THRESHOLD, best.threshold());
        details.put("precision", best.precision());
        details.put("recall", best.recall());
        for (String type : images.defectTypes()) {
          details.put(StandardMetrics.defectKey(type), ImageScores.f1Max(images.distribution(type)).f1());
        }
        return new MetricResult(name(), best.f1(), details, List.of());
      }
    };
  }
}
