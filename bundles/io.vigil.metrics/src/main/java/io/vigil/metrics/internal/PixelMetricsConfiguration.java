package io.vigil.metrics.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil pixel metrics",
    description = "Memory use of pixel AUROC and AU-PRO: exact up to a pixel count, streamed with a stated error bound beyond.")
@interface PixelMetricsConfiguration {
  String PID = "io.vigil.metrics.pixel";

  @AttributeDefinition(
      name = "Exact pixel limit",
      description = "Pixels of a run whose scores are kept for an exact result (4 to 8 bytes each). Past this, "
          + "scores stream into a histogram of relative bin width 6e-5 and the result reports its error bound. "
          + "Lowered automatically to what a sixteenth of the heap holds.")
  long exact_pixel_limit() default 32_000_000L;
}
