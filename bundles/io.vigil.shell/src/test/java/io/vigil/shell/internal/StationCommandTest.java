package io.vigil.shell.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class StationCommandTest {

  @Test
  void stationPrintsOneLinePerResult() {
    Frame frame = new Frame("tile-7.png", Instant.EPOCH, "line", Image.of8Bit(1, 1, 1, new byte[1]));
    var detection = Calibration.identity(0.5).detection(new AnomalyMap(1, 1, new float[] {0.75f}), 0.75);
    var ok = new InspectionResult(3, frame, frame.id(), "line", "tiles", detection, null, Duration.ofMillis(12),
        Instant.EPOCH);
    assertEquals("     3  tile-7.png                                NOK   raw 0.7500  norm 0.750  tiles  12.0 ms",
        StationCommand.format(ok));
    var failed = new InspectionResult(4, null, "bad.png", "line", null, null, "not an image", Duration.ZERO,
        Instant.EPOCH);
    assertEquals("     4  bad.png                                   ERROR  not an image", StationCommand.format(failed));
  }
}
