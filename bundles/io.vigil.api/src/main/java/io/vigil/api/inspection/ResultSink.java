package io.vigil.api.inspection;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Receives every inspection result (a CSV log, an image archive, a PLC output). Called on the
 * station's worker thread in result order: implementations return quickly and hand slow work to
 * their own thread.
 */
@ConsumerType
public interface ResultSink {
  void accept(InspectionResult result);
}
