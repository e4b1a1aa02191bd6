package io.vigil.metrics.internal;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * The zero-miss threshold: the highest image threshold that still flags every defective image
 * (the lowest defective score, since a score at the threshold is flagged), and the share of good
 * images it rejects with them ({@code false_reject_rate}). Per defect type: {@code defect.crack}
 * and {@code defect.crack.false_reject_rate}, for catching that type alone.
 */
@Component(property = Metric.NAME_PROPERTY + "=" + StandardMetrics.ZERO_MISS_THRESHOLD)
public class ZeroMissThresholdMetric implements Metric {

  @Override
  public String name() {
    return StandardMetrics.ZERO_MISS_THRESHOLD;
  }

  @Override
  public Accumulator newAccumulator() {
    return new ImageScores.Accumulator() {
      @Override
      public MetricResult result() {
        ImageScores.ZeroMiss all = images.zeroMiss(type -> true);
        Map<String, Double> details = new HashMap<>();
        details.put(StandardMetrics.FALSE_REJECT_RATE, all.falseRejectRate());
        for (String type : images.defectTypes()) {
          ImageScores.ZeroMiss one = images.zeroMiss(type::equals);
          details.put(StandardMetrics.defectKey(type), one.threshold());
          details.put(StandardMetrics.defectKey(type) + "." + StandardMetrics.FALSE_REJECT_RATE, one.falseRejectRate());
        }
        return new MetricResult(name(), all.threshold(), details, List.of());
      }
    };
  }
}
