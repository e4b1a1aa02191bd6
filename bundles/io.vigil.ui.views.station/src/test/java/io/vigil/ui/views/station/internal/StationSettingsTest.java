package io.vigil.ui.views.station.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Calibration;
import org.junit.jupiter.api.Test;

class StationSettingsTest {
  private static final String NAME = "vigil.source.name";

  @Test
  void aNameSurvivesTheFilterRoundTripEvenWithSpecialCharacters() {
    for (String name : new String[] {"line-1", "tiles (v3)", "a*b", "back\\slash"}) {
      String filter = StationSettings.filter(NAME, name);
      assertEquals(name, StationSettings.nameIn(filter, NAME), filter);
    }
  }

  @Test
  void anyAndHandWrittenFiltersAreNotOneName() {
    assertEquals("(vigil.source.name=*)", StationSettings.filter(NAME, null));
    assertNull(StationSettings.nameIn("(vigil.source.name=*)", NAME));
    assertNull(StationSettings.nameIn("(vigil.source.name=line-*)", NAME));
    assertNull(StationSettings.nameIn("(|(vigil.source.name=a)(vigil.source.name=b))", NAME));
    assertNull(StationSettings.nameIn(null, NAME));
  }

  @Test
  void theSliderRangeHoldsTheCalibratedThresholdWithRoomOnBothSides() {
    Calibration calibration = new Calibration(0.2, 0.05, 0.6);
    double[] range = StationSettings.sliderRange(calibration);
    assertTrue(range[0] < 0.2, "below the good parts' typical score");
    assertTrue(range[1] > 0.6 * 1.5, "well above the threshold");
    double position = (0.6 - range[0]) / (range[1] - range[0]);
    assertEquals(0.5, position, 1e-9);
    // A threshold at the location still gets a range of a few scales.
    double[] flat = StationSettings.sliderRange(new Calibration(1, 0.1, 1));
    assertEquals(0.9, flat[0], 1e-9);
    assertEquals(1.2, flat[1], 1e-9);
  }
}
