package io.vigil.metrics.internal;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.StandardMetrics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Component;

/**
 * Image AUROC: image score vs. label, any defect positive, ties counted half (sklearn's
 * roc_auc_score). Details: per defect type, the AUROC of the good images against that type
 * ({@code defect.crack}), and the image count per type ({@code images.crack}, {@code images.good}).
 */
@Component(property = Metric.NAME_PROPERTY + "=" + StandardMetrics.IMAGE_AUROC)
public class ImageAurocMetric implements Metric {

  @Override
  public String name() {
    return StandardMetrics.IMAGE_AUROC;
  }

  @Override
  public Accumulator newAccumulator() {
    return new ImageScores.Accumulator() {
      @Override
      public MetricResult result() {
        Map<String, Double> details = new HashMap<>();
        images.counts().forEach((type, count) -> details.put("images." + type, (double) count));
        for (String type : images.defectTypes()) {
          details.put(StandardMetrics.defectKey(type), Curves.area(images.distribution(type), 1.0).value());
        }
        double value = Curves.area(images.distribution(), 1.0).value();
        return new MetricResult(name(), value, details, List.of());
      }
    };
  }
}
