package io.vigil.metrics.internal;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.StandardMetrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;

/** AU-PRO up to a false positive rate of 0.3 (MVTec AD protocol); see {@link AuproAccumulator}. */
@Component(
    configurationPid = PixelMetricsConfiguration.PID,
    property = Metric.NAME_PROPERTY + "=" + StandardMetrics.AUPRO)
public class AuproMetric implements Metric {
  private volatile long exactLimit;

  @Activate
  @Modified
  void configure(PixelMetricsConfiguration configuration) {
    exactLimit = configuration.exact_pixel_limit();
  }

  @Override
  public String name() {
    return StandardMetrics.AUPRO;
  }

  @Override
  public Accumulator newAccumulator() {
    // Good pixels keep a float, defect pixels a long (score and region).
    return new AuproAccumulator(PixelInput.exactLimit(exactLimit, Long.BYTES));
  }
}
