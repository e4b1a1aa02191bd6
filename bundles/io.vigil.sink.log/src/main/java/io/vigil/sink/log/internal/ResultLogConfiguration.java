package io.vigil.sink.log.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Vigil CSV result log",
    description = "One CSV row per inspection result (deploy/io.vigil.sink.log-NAME.config; several may run).")
@interface ResultLogConfiguration {

  @AttributeDefinition(name = "Name", description = "The sink's name in vigil:sinks and the station view "
      + "(service property vigil.sink.name).")
  String vigil_sink_name() default "csv-log";

  @AttributeDefinition(name = "Directory", description = "Where the log files go; created when missing.")
  String directory() default "results";

  @AttributeDefinition(name = "File prefix", description = "Files are PREFIX-YYYY-MM-DD.csv (PREFIX.csv without daily rotation).")
  String prefix() default "vigil-results";

  @AttributeDefinition(
      name = "Rotation",
      options = {
          @Option(value = "daily", label = "A new file each day (local time) and when one reaches the size"),
          @Option(value = "size", label = "A new file when one reaches the size"),
          @Option(value = "never", label = "One file")
      })
  String rotate() default "daily";

  @AttributeDefinition(name = "Largest file (MB)", description = "A file this large is closed and the next one, -1, -2, ..., begun.", min = "1")
  int max_megabytes() default 50;
}
