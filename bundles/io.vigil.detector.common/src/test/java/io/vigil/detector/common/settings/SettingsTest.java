package io.vigil.detector.common.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.TrainingException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SettingsTest {

  @Test
  void overridesReplaceKnownNamesDropIgnoredOnesAndRefuseUnknownOnes() throws TrainingException {
    Map<String, Object> defaults = new LinkedHashMap<>();
    defaults.put("a", 1);
    defaults.put("b", "x");
    Map<String, Object> merged = Settings.merge(defaults, Map.of("b", "y", "epochs", 5), Set.of("epochs"), "Test");
    assertEquals(List.of("a", "b"), List.copyOf(merged.keySet()));
    assertEquals("y", merged.get("b"));
    assertEquals("x", defaults.get("b"), "the defaults stay as they were");
    TrainingException e = assertThrows(TrainingException.class,
        () -> Settings.merge(defaults, Map.of("c", 1), Set.of(), "Test"));
    assertTrue(e.getMessage().contains("unknown Test parameter 'c'") && e.getMessage().contains("[a, b]"),
        e.getMessage());
  }

  @Test
  void valuesAreReadFromNumbersAndTextAndBadOnesNameTheSetting() {
    Map<String, Object> map = Map.of("n", "8.0", "d", 0.25, "f", "2.5", "on", "Yes", "off", 0, "taps", "a , b,c");
    assertEquals(8, Settings.integer(map, "n"));
    assertEquals(0.25, Settings.number(map, "d"), 0);
    assertTrue(Settings.bool(map, "on"));
    assertFalse(Settings.bool(map, "off"));
    assertEquals(List.of("a", "b", "c"), Settings.list(map, "taps"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Settings.integer(map, "f"));
    assertTrue(e.getMessage().startsWith("f must be a whole number"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Settings.number(map, "taps"));
    assertThrows(IllegalArgumentException.class, () -> Settings.bool(map, "n"));
    assertThrows(IllegalArgumentException.class, () -> Settings.require(false, "no"));
  }
}
