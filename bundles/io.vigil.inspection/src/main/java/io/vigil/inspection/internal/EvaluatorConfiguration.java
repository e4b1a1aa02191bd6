package io.vigil.inspection.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil evaluation",
    description = "How an evaluation run (./vigil eval) finds the services it needs.")
@interface EvaluatorConfiguration {

  @AttributeDefinition(
      name = "Service wait (s)",
      description = "How long an evaluation waits for a detector factory, data set format, metric or report writer "
          + "that is not registered yet (bundles still starting) before it gives up.")
  int service_wait_seconds() default 10;

  @AttributeDefinition(
      name = "Report writers",
      description = "Names (vigil.report.name) of the report writers an evaluation waits for; "
          + "any other registered writer is used too.")
  String[] report_writers() default {"csv", "maps", "charts"};
}
