package io.vigil.detector.common.service;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.ModelException;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Detectors registered as services by one component, which owns them: {@link #close()} (from the
 * component's deactivation) withdraws them and frees their models.
 */
public final class DetectorRegistrations implements AutoCloseable {
  /** Detector service property: the model directory the detector was loaded from. */
  public static final String MODEL_DIRECTORY_PROPERTY = "vigil.model.dir";

  private static final Logger LOG = LoggerFactory.getLogger(DetectorRegistrations.class);

  private final BundleContext context;
  private final List<Registered> registered = new CopyOnWriteArrayList<>();

  public DetectorRegistrations(BundleContext context) {
    this.context = context;
  }

  /** Registers {@code detector} with its name, algorithm and model directory. */
  public void register(ModelDetector detector) {
    register(detector, new Hashtable<>());
  }

  /** Registers {@code detector} as {@link #register(ModelDetector)} does, with a service ranking. */
  public void register(ModelDetector detector, int serviceRanking) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Constants.SERVICE_RANKING, serviceRanking);
    register(detector, properties);
  }

  /**
   * Loads the saved model a factory configuration names and registers it with the configured
   * ranking; says in the log whether it is offered, and why not.
   *
   * @param label          the algorithm as people read it ("SimpleNet")
   * @param modelDirectory the configured model directory
   */
  public ModelDetector offer(String label, String modelDirectory, int serviceRanking, ModelLoader loader)
      throws ModelException {
    Path directory = Path.of(modelDirectory).toAbsolutePath();
    ModelDetector detector;
    try {
      detector = loader.load(directory);
    } catch (ModelException e) {
      LOG.error("{} model not offered: {}", label, e.getMessage());
      throw e;
    }
    register(detector, serviceRanking);
    LOG.info("{} model '{}' offered from {}", label, detector.name(), directory);
    return detector;
  }

  /** Loads the model saved in a directory. */
  @FunctionalInterface
  public interface ModelLoader {
    ModelDetector load(Path directory) throws ModelException;
  }

  private void register(ModelDetector detector, Hashtable<String, Object> properties) {
    properties.put(Detector.NAME_PROPERTY, detector.name());
    properties.put(Detector.ALGORITHM_PROPERTY, detector.algorithm());
    properties.put(MODEL_DIRECTORY_PROPERTY, detector.directory().toAbsolutePath().toString());
    ServiceRegistration<Detector> registration = context.registerService(Detector.class, detector, properties);
    Registered entry = new Registered(detector, registration);
    registered.add(entry);
    // A user that closes a detector it was handed (e.g. `./vigil curve` after each run) withdraws it too.
    detector.whenClosed(() -> withdraw(entry));
  }

  /** Withdraws every detector registered here and closes it. */
  @Override
  public void close() {
    for (Registered entry : registered) {
      entry.detector().close(); // withdraws it, then frees it
    }
    registered.clear();
  }

  private void withdraw(Registered entry) {
    if (registered.remove(entry)) {
      try {
        entry.registration().unregister();
      } catch (IllegalStateException e) {
        LOG.debug("{} was withdrawn already (its bundle is stopping)", entry.detector());
      }
    }
  }

  private record Registered(ModelDetector detector, ServiceRegistration<Detector> registration) {}
}
