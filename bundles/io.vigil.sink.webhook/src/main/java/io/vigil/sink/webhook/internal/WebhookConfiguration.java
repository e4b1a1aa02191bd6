package io.vigil.sink.webhook.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil webhook",
    description = "An HTTP POST of each result's JSON to a URL (deploy/io.vigil.sink.webhook-NAME.config; several may run).")
@interface WebhookConfiguration {

  @AttributeDefinition(name = "Name", description = "The sink's name in vigil:sinks (service property vigil.sink.name).")
  String vigil_sink_name() default "webhook";

  @AttributeDefinition(name = "URL", description = "http:// or https:// endpoint receiving application/json.")
  String url();

  @AttributeDefinition(name = "Only NOK", description = "Post only rejected parts and errors.")
  boolean only_nok() default false;

  @AttributeDefinition(name = "Attempts", description = "Tries per result before it counts as failed.", min = "1")
  int attempts() default 5;

  @AttributeDefinition(name = "First retry delay (ms)", description = "Doubled after each failed try.", min = "1")
  long retry_ms() default 500;

  @AttributeDefinition(name = "Timeout (ms)", description = "Per request.", min = "1")
  long timeout_ms() default 5000;

  @AttributeDefinition(name = "Authorization header", type = AttributeType.PASSWORD,
      description = "Sent as the Authorization header when set, e.g. \"Bearer ...\".")
  String authorization() default "";
}
