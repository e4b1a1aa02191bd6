package io.vigil.detector.common.settings;

import io.vigil.api.detector.TrainingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reading a detector's settings from a map. The readers throw IllegalArgumentException naming
 * the setting; a detector turns that into its own TrainingException.
 */
public final class Settings {
  private Settings() {}

  /**
   * {@code defaults} (left unchanged) with {@code overrides} applied, in the defaults' order.
   *
   * @param ignored names other detectors' tools pass that mean nothing here: dropped
   * @param label   the algorithm as people read it, for the message
   * @throws TrainingException for a name that is neither known nor ignored, listing the known ones
   */
  public static Map<String, Object> merge(Map<String, Object> defaults, Map<String, ?> overrides, Set<String> ignored,
      String label) throws TrainingException {
    Map<String, Object> merged = new LinkedHashMap<>(defaults);
    for (Map.Entry<String, ?> entry : overrides.entrySet()) {
      if (ignored.contains(entry.getKey())) {
        continue;
      }
      if (!merged.containsKey(entry.getKey())) {
        throw new TrainingException("unknown " + label + " parameter '" + entry.getKey() + "'; known: " + merged.keySet());
      }
      merged.put(entry.getKey(), entry.getValue());
    }
    return merged;
  }

  /** Throws IllegalArgumentException with {@code message} unless {@code condition} holds. */
  public static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  /** The value as trimmed text. */
  public static String string(Map<String, ?> map, String key) {
    return String.valueOf(map.get(key)).trim();
  }

  /** A comma-separated value as a list (spaces around the commas dropped). */
  public static List<String> list(Map<String, ?> map, String key) {
    return new ArrayList<>(Arrays.asList(string(map, key).split("\\s*,\\s*")));
  }

  /** A Boolean, or true/false, yes/no, on/off, 1/0 as text or number. */
  public static boolean bool(Map<String, ?> map, String key) {
    Object value = map.get(key);
    if (value instanceof Boolean b) {
      return b;
    }
    String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
    return switch (text) {
      case "true", "yes", "on", "1", "1.0" -> true;
      case "false", "no", "off", "0", "0.0" -> false;
      default -> throw new IllegalArgumentException(key + " must be true or false: " + value);
    };
  }

  /** A whole number, given as a number or text ("8", "8.0"). */
  public static int integer(Map<String, ?> map, String key) {
    double value = number(map, key);
    if (value != Math.rint(value)) {
      throw new IllegalArgumentException(key + " must be a whole number: " + map.get(key));
    }
    return (int) value;
  }

  /** A number, given as a number or text. */
  public static double number(Map<String, ?> map, String key) {
    Object value = map.get(key);
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number: " + value);
    }
  }
}
