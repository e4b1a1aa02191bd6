package io.vigil.metrics.internal;

import io.vigil.api.metric.Metric;
import io.vigil.api.metric.StandardMetrics;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/** Pixel AUROC over every pixel of every frame; see {@link PixelAurocAccumulator}. */
@Component(
    configurationPid = PixelMetricsConfiguration.PID,
    property = Metric.NAME_PROPERTY + "=" + StandardMetrics.PIXEL_AUROC)
@Designate(ocd = PixelMetricsConfiguration.class)
public class PixelAurocMetric implements Metric {
  private volatile long exactLimit;

  @Activate
  @Modified
  void configure(PixelMetricsConfiguration configuration) {
    exactLimit = configuration.exact_pixel_limit();
  }

  @Override
  public String name() {
    return StandardMetrics.PIXEL_AUROC;
  }

  @Override
  public Accumulator newAccumulator() {
    return new PixelAurocAccumulator(PixelInput.exactLimit(exactLimit, Float.BYTES));
  }
}
