package io.vigil.ui.views.bundles.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.source.ImageSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/** Reads the framework's bundles and services into table rows. Reads only; never waits. */
final class Registry {
  private Registry() {}

  static List<String[]> bundles(BundleContext context) {
    List<Bundle> bundles = new ArrayList<>(Arrays.asList(context.getBundles()));
    bundles.sort(Comparator.comparingLong(Bundle::getBundleId));
    List<String[]> rows = new ArrayList<>();
    for (Bundle bundle : bundles) {
      rows.add(new String[] {Long.toString(bundle.getBundleId()), Objects.toString(bundle.getSymbolicName(), "?"),
          bundle.getVersion().toString(), state(bundle)});
    }
    return rows;
  }

  static String state(Bundle bundle) {
    boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
    return switch (bundle.getState()) {
      case Bundle.ACTIVE -> "active";
      case Bundle.RESOLVED -> fragment ? "fragment" : "resolved";
      case Bundle.INSTALLED -> "installed";
      case Bundle.STARTING -> "starting";
      case Bundle.STOPPING -> "stopping";
      case Bundle.UNINSTALLED -> "uninstalled";
      default -> "state " + bundle.getState();
    };
  }

  static List<String[]> detectors(BundleContext context) {
    List<String[]> rows = new ArrayList<>();
    for (ServiceReference<?> reference : references(context, Detector.class)) {
      rows.add(new String[] {property(reference, Detector.NAME_PROPERTY), property(reference, Detector.ALGORITHM_PROPERTY),
          Objects.toString(reference.getProperty(Constants.SERVICE_RANKING), "0"), bundleName(reference)});
    }
    return rows;
  }

  static List<String[]> sources(BundleContext context) {
    List<String[]> rows = new ArrayList<>();
    for (ServiceReference<?> reference : references(context, ImageSource.class)) {
      rows.add(new String[] {property(reference, ImageSource.NAME_PROPERTY),
          Objects.toString(reference.getProperty(Constants.SERVICE_RANKING), "0"), bundleName(reference)});
    }
    return rows;
  }

  private static List<ServiceReference<?>> references(BundleContext context, Class<?> type) {
    try {
      ServiceReference<?>[] found = context.getAllServiceReferences(type.getName(), null);
      List<ServiceReference<?>> list = found == null ? new ArrayList<>() : new ArrayList<>(Arrays.asList(found));
      list.sort(Comparator.comparing(reference -> property(reference, Constants.SERVICE_ID)));
      return list;
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String property(ServiceReference<?> reference, String key) {
    return Objects.toString(reference.getProperty(key), "—");
  }

  private static String bundleName(ServiceReference<?> reference) {
    Bundle bundle = reference.getBundle();
    return bundle == null ? "(gone)" : bundle.getSymbolicName();
  }
}
