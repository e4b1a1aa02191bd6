package io.vigil.api.inspection;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The running inspection loop, as seen by views and commands.
 *
 * <p>The station is configured through Config Admin under {@link #PID} (or a
 * {@code deploy/io.vigil.inspection.station.config} file); the property names below are what a view
 * or command writes to pick a source or detector or to move the decision threshold.
 */
@ProviderType
public interface Station {
  /** Config Admin PID of the station. */
  String PID = "io.vigil.inspection.station";
  /** Configuration property: LDAP filter choosing the image source, e.g. {@code (vigil.source.name=line-1)}. */
  String SOURCE_TARGET = "source.target";
  /** Configuration property: LDAP filter choosing the detector, e.g. {@code (vigil.detector.name=tiles-v3)}. */
  String DETECTOR_TARGET = "detector.target";
  /** Configuration property (Boolean): start a finite source over when it ends. */
  String REPEAT_FINITE = "repeat.finite";
  /**
   * Configuration property (Boolean): read no further frames until false again; frames already read
   * are still scored. The status says {@link StationStatus.State#PAUSED}.
   *
   * @since 1.3
   */
  String PAUSED = "paused";
  /**
   * Configuration property (Double): the raw-score threshold decisions are taken at instead of the
   * model's calibrated one; absent or NaN means the model's.
   */
  String THRESHOLD = "threshold";
  /**
   * Configuration property (String): the detector {@link #THRESHOLD} was chosen for; the override
   * applies only while that detector scores (a threshold means nothing to another model). Empty:
   * any detector.
   */
  String THRESHOLD_DETECTOR = "threshold.detector";

  StationStatus status();

  /**
   * The result sinks the station delivers to and how far each has got.
   *
   * @since 1.2
   */
  default java.util.List<SinkStatus> sinks() {
    return java.util.List.of();
  }
}
