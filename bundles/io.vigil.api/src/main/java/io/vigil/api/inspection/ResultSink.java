package io.vigil.api.inspection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every inspection result (a CSV log, an image archive, a PLC output, a broker). The
 * station gives each sink its own bounded queue and thread and calls {@link #accept} there, in
 * result order, so a slow or dead sink never holds up the inspection; what a full queue cannot
 * take is counted and reported, and so are the results {@link #accept} failed on.
 *
 * <p>Register with {@link #NAME_PROPERTY} to be named in the station's status and {@code vigil:sinks}.
 */
@ConsumerType
public interface ResultSink {
  /** Service property: the sink's name, e.g. "csv-log" or "mqtt-line-1". */
  String NAME_PROPERTY = "vigil.sink.name";

  /**
   * Delivers one result; throws when it could not (the station counts it as failed).
   */
  void accept(InspectionResult result);

  /**
   * One line on the sink's connection, e.g. "connected to tcp://127.0.0.1:1883" or
   * "disconnected: connection refused (buffering)".
   *
   * @since 1.2
   */
  default String state() {
    return "ready";
  }
}
