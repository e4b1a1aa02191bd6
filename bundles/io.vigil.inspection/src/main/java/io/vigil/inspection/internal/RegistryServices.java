package io.vigil.inspection.internal;

import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.metric.Metric;
import io.vigil.api.source.DatasetFormat;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

/**
 * The services one evaluation uses, looked up in the registry each time it asks (so a service
 * whose component is still starting is found on a later poll instead of being missed for good),
 * each got once and released when the evaluation ends.
 */
final class RegistryServices implements Evaluation.Services, AutoCloseable {
  private final BundleContext context;
  private final Map<ServiceReference<?>, Object> got = new HashMap<>();

  RegistryServices(BundleContext context) {
    this.context = context;
  }

  @Override
  public List<DetectorFactory> factories() {
    return new ArrayList<>(lookup(DetectorFactory.class).values());
  }

  @Override
  public List<DatasetFormat> formats() {
    return new ArrayList<>(lookup(DatasetFormat.class).values());
  }

  @Override
  public List<Metric> metrics() {
    return new ArrayList<>(lookup(Metric.class).values());
  }

  @Override
  public Map<String, ReportWriter> writers() {
    Map<String, ReportWriter> byName = new LinkedHashMap<>();
    lookup(ReportWriter.class).forEach((reference, writer) -> {
      Object name = reference.getProperty(ReportWriter.NAME_PROPERTY);
      byName.putIfAbsent(name == null ? writer.getClass().getName() : name.toString(), writer);
    });
    return byName;
  }

  /** The registered services of {@code type}, highest ranking first. */
  private synchronized <S> Map<ServiceReference<S>, S> lookup(Class<S> type) {
    List<ServiceReference<S>> references;
    try {
      references = new ArrayList<>(context.getServiceReferences(type, null));
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    } catch (IllegalStateException e) {
      return Map.of(); // this bundle is stopping
    }
    references.sort(Collections.reverseOrder());
    Map<ServiceReference<S>, S> services = new LinkedHashMap<>();
    for (ServiceReference<S> reference : references) {
      Object service = got.get(reference);
      if (service == null) {
        service = context.getService(reference);
        if (service == null) {
          continue; // not ready yet (or gone): asked again on the next poll
        }
        got.put(reference, service);
      }
      services.put(reference, type.cast(service));
    }
    return services;
  }

  @Override
  public synchronized void close() {
    for (ServiceReference<?> reference : got.keySet()) {
      try {
        context.ungetService(reference);
      } catch (IllegalStateException e) {
        // The framework is stopping.
      }
    }
    got.clear();
  }

  @Override
  public String toString() {
    return "services " + Arrays.toString(got.keySet().toArray());
  }
}
