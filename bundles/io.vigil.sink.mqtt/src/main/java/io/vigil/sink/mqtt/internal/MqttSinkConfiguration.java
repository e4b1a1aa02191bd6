package io.vigil.sink.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Vigil MQTT result sink",
    description = "One JSON message per inspection result to an MQTT broker (deploy/io.vigil.sink.mqtt-NAME.config; "
        + "several may run).")
@interface MqttSinkConfiguration {

  @AttributeDefinition(name = "Name", description = "The sink's name in vigil:sinks (service property vigil.sink.name).")
  String vigil_sink_name() default "mqtt";

  @AttributeDefinition(name = "Broker", description = "tcp://HOST:PORT, or ssl://HOST:PORT for TLS (the JVM's trust store).")
  String broker() default "tcp://127.0.0.1:1883";

  @AttributeDefinition(name = "Client id", description = "Empty: vigil-NAME.")
  String client_id() default "";

  @AttributeDefinition(name = "Result topic")
  String topic() default "vigil/results";

  @AttributeDefinition(name = "QoS", description = "0, 1 (at least once: kept while the broker is away) or 2.",
      min = "0", max = "2")
  int qos() default 1;

  @AttributeDefinition(name = "Retain results", description = "The broker keeps the last result for new subscribers.")
  boolean retain() default false;

  @AttributeDefinition(name = "Status topic",
      description = "\"online\" (retained) once connected, \"offline\" as the last will and on a clean stop.")
  String status_topic() default "vigil/status";

  @AttributeDefinition(name = "User name", description = "Empty: none.")
  String username() default "";

  @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
  String password() default "";

  @AttributeDefinition(name = "Offline buffer",
      description = "Messages kept while the broker is away, delivered in order when it returns.", min = "1")
  int buffer() default 10000;

  @AttributeDefinition(name = "Payload format",
      description = "json: one JSON object per result on the result topic. sparkplug-b: Sparkplug B (Eclipse Tahu) - "
          + "NBIRTH and DBIRTH on connecting, one DDATA per result, NDEATH as the last will - under "
          + "spBv1.0/GROUP/.../NODE/DEVICE; the result and status topics are then not used.",
      options = {@Option(label = "JSON", value = "json"), @Option(label = "Sparkplug B", value = "sparkplug-b")})
  String format() default "json";

  @AttributeDefinition(name = "Sparkplug group id")
  String sparkplug_group() default "vigil";

  @AttributeDefinition(name = "Sparkplug edge node id", description = "Empty: the sink's name.")
  String sparkplug_node() default "";

  @AttributeDefinition(name = "Sparkplug device id")
  String sparkplug_device() default "station";
}
