package io.vigil.sink.archive.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil NOK archive",
    description = "Keeps rejected parts' images with their heatmaps and a JSON sidecar, under a size budget "
        + "(deploy/io.vigil.sink.archive-NAME.config; several may run).")
@interface ArchiveConfiguration {

  @AttributeDefinition(name = "Name", description = "The sink's name in vigil:sinks (service property vigil.sink.name).")
  String vigil_sink_name() default "nok-archive";

  @AttributeDefinition(name = "Directory", description = "Where the archive goes: one folder per day.")
  String directory() default "archive";

  @AttributeDefinition(
      name = "OK sample",
      description = "Also keep every Nth OK part (for audits and retraining); 0: NOK only.",
      min = "0")
  int ok_every() default 0;

  @AttributeDefinition(
      name = "Size budget (MB)",
      description = "When the archive grows past this, the oldest parts are removed first.",
      min = "1")
  int max_megabytes() default 1024;
}
