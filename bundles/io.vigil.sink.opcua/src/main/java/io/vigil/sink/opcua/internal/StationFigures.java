package io.vigil.sink.opcua.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Decision;
import io.vigil.api.inspection.InspectionResult;
import java.util.concurrent.atomic.AtomicLong;

/** What the server shows of the results it received: the counters since it started and the last result. */
final class StationFigures {
  private final AtomicLong inspected = new AtomicLong();
  private final AtomicLong ok = new AtomicLong();
  private final AtomicLong nok = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private volatile InspectionResult last;

  void add(InspectionResult result) {
    inspected.incrementAndGet();
    Detection detection = result.detection();
    if (detection == null) {
      errors.incrementAndGet();
    } else if (detection.decision() == Decision.NOK) {
      nok.incrementAndGet();
    } else {
      ok.incrementAndGet();
    }
    last = result;
  }

  long inspected() {
    return inspected.get();
  }

  long ok() {
    return ok.get();
  }

  long nok() {
    return nok.get();
  }

  long errors() {
    return errors.get();
  }

  /** The last result, null before the first. */
  InspectionResult last() {
    return last;
  }
}
