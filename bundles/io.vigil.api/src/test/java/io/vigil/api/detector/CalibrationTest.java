package io.vigil.api.detector;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class CalibrationTest {

  @Test
  void normalisesAndDecidesAtTheThreshold() {
    Calibration calibration = new Calibration(2.0, 0.5, 3.0);
    assertEquals(2.0, calibration.normalize(3.0), 1e-12);
    assertEquals(Decision.NOK, calibration.decide(3.0));
    assertEquals(Decision.OK, calibration.decide(2.999));
    assertEquals(Decision.OK, calibration.withThreshold(4.0).decide(3.5));
  }

  @Test
  void detectionCarriesAllThreeFigures() {
    AnomalyMap map = new AnomalyMap(1, 1, new float[] {1.5f});
    Detection detection = Calibration.identity(1.0).detection(map, 1.5);
    assertEquals(1.5, detection.normalizedScore(), 1e-12);
    assertEquals(Decision.NOK, detection.decision());
  }

  @Test
  void nonPositiveScaleIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> new Calibration(0, 0, 1));
  }

  @Test
  void mapSizeMustMatchValues() {
    assertThrows(IllegalArgumentException.class, () -> new AnomalyMap(2, 2, new float[3]));
    assertEquals(3f, new AnomalyMap(2, 1, new float[] {3f, -1f}).max());
  }
}
