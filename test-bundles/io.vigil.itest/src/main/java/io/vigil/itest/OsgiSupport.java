package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;

import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** Configurations, services and shared data for the source tests; undoes what it did on {@link #cleanUp}. */
final class OsgiSupport {
  static final String STATION_PID = "io.vigil.inspection.station";
  private static final String DEFAULT_SOURCE_TARGET = "(vigil.source.name=*)";

  final BundleContext context = FrameworkUtil.getBundle(OsgiSupport.class).getBundleContext();
  private final List<Configuration> created = new ArrayList<>();
  private final List<String> createdSources = new ArrayList<>();
  private boolean stationConfigured;

  ConfigurationAdmin configurationAdmin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }

  /** A new factory configuration of {@code factoryPid}, deleted again by {@link #cleanUp}. */
  Configuration createFactoryConfiguration(String factoryPid, Map<String, Object> properties) throws IOException {
    Configuration configuration = configurationAdmin().createFactoryConfiguration(factoryPid, "?");
    configuration.update(new Hashtable<>(properties));
    created.add(configuration);
    Object sourceName = properties.get(ImageSource.NAME_PROPERTY);
    if (sourceName != null) {
      createdSources.add(sourceName.toString());
    }
    return configuration;
  }

  /** The registered image source of that name, waiting for Config Admin and DS to create it. */
  ImageSource awaitSource(String name) throws InterruptedException {
    await(() -> sourceReference(name) != null, () -> "image source '" + name + "' registered");
    return context.getService(sourceReference(name));
  }

  /** The source named {@code name} whose service properties also match {@code filter}, e.g. (itest.generation=3). */
  ImageSource awaitSource(String name, String filter) throws InterruptedException {
    String both = "(&(" + ImageSource.NAME_PROPERTY + "=" + name + ")" + filter + ")";
    await(() -> firstSource(both) != null, () -> "image source " + both + " registered");
    return context.getService(firstSource(both));
  }

  private ServiceReference<ImageSource> firstSource(String filter) {
    try {
      Collection<ServiceReference<ImageSource>> references = context.getServiceReferences(ImageSource.class, filter);
      return references.isEmpty() ? null : references.iterator().next();
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  void awaitSourceGone(String name) throws InterruptedException {
    await(() -> sourceReference(name) == null, () -> "image source '" + name + "' unregistered");
  }

  ServiceReference<ImageSource> sourceReference(String name) {
    try {
      Collection<ServiceReference<ImageSource>> references =
          context.getServiceReferences(ImageSource.class, "(" + ImageSource.NAME_PROPERTY + "=" + name + ")");
      return references.isEmpty() ? null : references.iterator().next();
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Points the station at one source (or at none, with a name nobody has) and waits until it took it. */
  void pinStationSource(String sourceName) throws Exception {
    String filter = "(vigil.source.name=" + sourceName + ")";
    configurationAdmin().getConfiguration(STATION_PID, "?").update(new Hashtable<>(Map.of("source.target", filter)));
    stationConfigured = true;
    await(() -> {
      ServiceReference<Station> reference = context.getServiceReference(Station.class);
      return reference != null && filter.equals(reference.getProperty("source.target"));
    }, () -> "station source.target " + filter);
  }

  /** Waits until no thread of that name is alive (a source's owned thread after deactivation). */
  static void awaitThreadGone(String name) throws InterruptedException {
    await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals(name) && t.isAlive()),
        () -> "thread " + name + " stopped");
  }

  static boolean threadAlive(String name) {
    return Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals(name) && t.isAlive());
  }

  Station station() {
    return context.getService(context.getServiceReference(Station.class));
  }

  /**
   * Deletes the configurations made here and waits until their sources are gone, the station has
   * finished with the last of their frames (call this before unregistering a test's detector, or
   * the station would hand that frame to the next test's detector) and is back on its defaults.
   */
  void cleanUp() throws Exception {
    for (Configuration configuration : created) {
      configuration.delete();
    }
    created.clear();
    for (String name : createdSources) {
      awaitSourceGone(name);
    }
    createdSources.clear();
    if (stationConfigured) {
      await(() -> station().status().state() == StationStatus.State.WAITING_FOR_SOURCE,
          () -> "station waiting for a source, is " + station().status().state());
      configurationAdmin().getConfiguration(STATION_PID, "?").delete();
      stationConfigured = false;
      await(() -> {
        ServiceReference<Station> reference = context.getServiceReference(Station.class);
        return reference != null && DEFAULT_SOURCE_TARGET.equals(reference.getProperty("source.target"));
      }, () -> "station back on its default source filter");
    }
  }

  /**
   * A data set under the shared folder beside the checkout ({@code ../shared/datasets/NAME}); fails
   * with the path it looked at when it is not there.
   */
  /**
   * Restarts the bundles that still offer detectors with these names: a factory keeps the models
   * it trained registered while it lives, and a test that failed halfway must not leave them to the
   * station tests that follow.
   */
  void withdrawDetectors(String... names) throws Exception {
    for (String name : names) {
      for (ServiceReference<Detector> reference
          : context.getServiceReferences(Detector.class, "(" + Detector.NAME_PROPERTY + "=" + name + ")")) {
        Bundle bundle = reference.getBundle();
        if (bundle != null) {
          bundle.stop();
          bundle.start();
        }
      }
    }
  }

  /** Waits until the station has bound the detector of that name (it binds between frames). */
  void awaitStationDetector(String name) throws InterruptedException {
    await(() -> {
      ServiceReference<Station> station = context.getServiceReference(Station.class);
      return station != null && name.equals(context.getService(station).status().detectorName());
    }, () -> "the station bound to detector " + name);
  }

  /** The Detector service of that name, or null when none is registered. */
  ServiceReference<Detector> detectorReference(String name) {
    try {
      Collection<ServiceReference<Detector>> found =
          context.getServiceReferences(Detector.class, "(" + Detector.NAME_PROPERTY + "=" + name + ")");
      return found.isEmpty() ? null : found.iterator().next();
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Path sharedDataset(String name) {
    String shared = System.getProperty("vigil.shared.dir");
    if (shared == null) {
      throw new AssertionError("system property vigil.shared.dir is not set (itest.bndrun sets it)");
    }
    Path dataset = Path.of(shared).resolve("datasets").resolve(name).normalize();
    if (!Files.isDirectory(dataset)) {
      throw new AssertionError("the shared data set " + name + " is missing: expected it at " + dataset
          + " (../shared/datasets/" + name + " beside the repository, see ../shared/README.md)");
    }
    return dataset;
  }
}
