package io.vigil.dataset.capture;

import io.vigil.api.source.ImageSource;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;

/** What an image source publishes of its settings, for the {@code settings} column of capture.csv. */
public final class SourceSettings {
  private SourceSettings() {}

  /**
   * The source service's properties (its configuration: pixel format, exposure, trigger, region,
   * folder...) as text, sorted, without the framework's own keys and anything named like a password.
   */
  public static Map<String, String> of(ServiceReference<?> reference) {
    Map<String, String> settings = new TreeMap<>();
    for (String key : reference.getPropertyKeys()) {
      if (key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
          || key.startsWith("osgi.") || key.equals(Constants.OBJECTCLASS) || key.equals(ImageSource.NAME_PROPERTY)
          || key.toLowerCase(Locale.ROOT).contains("password")) {
        continue;
      }
      Object value = reference.getProperty(key);
      settings.put(key, value instanceof Object[] array
          ? String.join(",", Arrays.stream(array).map(String::valueOf).toList())
          : String.valueOf(value));
    }
    return settings;
  }
}
