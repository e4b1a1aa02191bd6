package io.vigil.api.metric;

import java.util.List;
import java.util.Map;

/**
 * A metric's value with its secondary figures and curve.
 *
 * @param name    the metric's name, e.g. "image_auroc"
 * @param value   the headline number
 * @param details named secondary figures (a threshold, a rate, per-defect values); never null
 * @param curve   the curve behind the value, if any; never null
 */
public record MetricResult(String name, double value, Map<String, Double> details, List<CurvePoint> curve) {
  public MetricResult {
    details = details == null ? Map.of() : Map.copyOf(details);
    curve = curve == null ? List.of() : List.copyOf(curve);
  }

  public MetricResult(String name, double value) {
    this(name, value, Map.of(), List.of());
  }
}
