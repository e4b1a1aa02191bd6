package io.vigil.ui.views.station.internal;

import io.vigil.api.inspection.Station;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.function.Consumer;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The station's configuration as the view reads and writes it. Called on background threads only:
 * Config Admin may block.
 */
final class StationSettings {
  static final String ANY_SOURCE = "(" + io.vigil.api.source.ImageSource.NAME_PROPERTY + "=*)";
  static final String ANY_DETECTOR = "(" + io.vigil.api.detector.Detector.NAME_PROPERTY + "=*)";

  /** What the view shows of the configuration; names are null for "any". */
  record Values(String sourceName, String detectorName, boolean repeatFinite, double threshold,
      String thresholdDetector) {}

  private StationSettings() {}

  static Values read(ConfigurationAdmin admin) throws IOException {
    Dictionary<String, Object> properties = configuration(admin).getProperties();
    if (properties == null) {
      return new Values(null, null, false, Double.NaN, "");
    }
    Object threshold = properties.get(Station.THRESHOLD);
    Object thresholdDetector = properties.get(Station.THRESHOLD_DETECTOR);
    return new Values(
        nameIn(properties.get(Station.SOURCE_TARGET), io.vigil.api.source.ImageSource.NAME_PROPERTY),
        nameIn(properties.get(Station.DETECTOR_TARGET), io.vigil.api.detector.Detector.NAME_PROPERTY),
        Boolean.parseBoolean(String.valueOf(properties.get(Station.REPEAT_FINITE))),
        threshold == null ? Double.NaN : Double.parseDouble(threshold.toString()),
        thresholdDetector == null ? "" : thresholdDetector.toString());
  }

  /** Changes some properties of the station's configuration, keeping the others. */
  static void update(ConfigurationAdmin admin, Consumer<Dictionary<String, Object>> change) throws IOException {
    Configuration configuration = configuration(admin);
    Dictionary<String, Object> properties = configuration.getProperties();
    Dictionary<String, Object> updated =
        properties == null ? new Hashtable<>() : new Hashtable<>(FrameworkUtil.asMap(properties));
    change.accept(updated);
    configuration.updateIfDifferent(updated);
  }

  private static Configuration configuration(ConfigurationAdmin admin) throws IOException {
    if (admin == null) {
      throw new IOException("Config Admin is not running: the station cannot be configured");
    }
    return admin.getConfiguration(Station.PID, "?");
  }

  /** The filter selecting exactly the service named {@code name} by {@code property}. */
  static String filter(String property, String name) {
    return name == null ? "(" + property + "=*)" : "(" + property + "=" + escape(name) + ")";
  }

  /** The name a {@code (property=name)} filter selects; null for anything else (any, or hand-written). */
  static String nameIn(Object filter, String property) {
    if (filter == null) {
      return null;
    }
    String text = filter.toString().trim();
    String prefix = "(" + property + "=";
    if (!text.startsWith(prefix) || !text.endsWith(")")) {
      return null;
    }
    String value = text.substring(prefix.length(), text.length() - 1);
    if (value.equals("*")) {
      return null;
    }
    StringBuilder name = new StringBuilder();
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c == '\\' && i + 1 < value.length()) {
        name.append(value.charAt(++i));
      } else if (c == '*' || c == '(' || c == ')') {
        return null; // a pattern, not one name
      } else {
        name.append(c);
      }
    }
    return name.toString();
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '(' || c == ')' || c == '*') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }

  /**
   * The slider's raw-score range for a calibration: from below the good parts' typical score to
   * well above the threshold, so the calibrated threshold sits about halfway.
   */
  static double[] sliderRange(io.vigil.api.detector.Calibration calibration) {
    double span = Math.max(Math.abs(calibration.threshold() - calibration.location()), calibration.scale());
    double lo = Math.min(calibration.location(), calibration.threshold()) - span;
    double hi = calibration.threshold() + 2 * span;
    return new double[] {lo, hi};
  }
}
