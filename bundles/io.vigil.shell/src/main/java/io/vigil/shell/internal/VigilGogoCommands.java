package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.metric.Metric;
import io.vigil.api.source.ImageSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Gogo commands for operators: {@code vigil:status}, {@code vigil:detectors}, ... */
@Component(
    service = VigilGogoCommands.class,
    property = {
      "osgi.command.scope=vigil",
      "osgi.command.function=status",
      "osgi.command.function=detectors",
      "osgi.command.function=factories",
      "osgi.command.function=sources",
      "osgi.command.function=sinks",
      "osgi.command.function=metrics",
      "osgi.command.function=commands"
    })
public class VigilGogoCommands {
  private final BundleContext context;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile Station station;

  @Activate
  public VigilGogoCommands(BundleContext context) {
    this.context = context;
  }

  /** The station loop: state, bound source and detector, counts and rate. */
  public String status() {
    Station current = station;
    if (current == null) {
      return "No inspection station is running.";
    }
    StationStatus s = current.status();
    return String.format("state %s, source %s, detector %s, %d results (%d errors), %.1f frames/s",
        s.state(), orNone(s.sourceName()), orNone(s.detectorName()), s.results(), s.errors(), s.framesPerSecond());
  }

  /** Each result sink: its state, queue, delivered, failed and dropped results. */
  public String sinks() {
    Station current = station;
    if (current == null) {
      return "No inspection station is running.";
    }
    List<SinkStatus> sinks = current.sinks();
    if (sinks.isEmpty()) {
      return "No result sinks.";
    }
    StringBuilder text = new StringBuilder();
    for (SinkStatus sink : sinks) {
      text.append(String.format("%s: %s, %d queued, %d delivered, %d failed, %d dropped%n", sink.name(), sink.state(),
          sink.queued(), sink.delivered(), sink.failed(), sink.dropped()));
    }
    return text.toString().stripTrailing();
  }

  public String detectors() {
    return table(Detector.class, Detector.NAME_PROPERTY, Detector.ALGORITHM_PROPERTY);
  }

  public String factories() {
    return table(DetectorFactory.class, Detector.ALGORITHM_PROPERTY);
  }

  public String sources() {
    return table(ImageSource.class, ImageSource.NAME_PROPERTY);
  }

  public String metrics() {
    return table(Metric.class, Metric.NAME_PROPERTY);
  }

  public String commands() {
    return table(Command.class, Command.NAME_PROPERTY);
  }

  private String table(Class<?> service, String... properties) {
    List<String> rows = new ArrayList<>();
    for (ServiceReference<?> reference : references(service)) {
      StringBuilder row = new StringBuilder();
      for (String property : properties) {
        row.append(Objects.toString(reference.getProperty(property), "-")).append("  ");
      }
      row.append("ranking ").append(Objects.toString(reference.getProperty(Constants.SERVICE_RANKING), "0"));
      row.append("  bundle ").append(reference.getBundle().getSymbolicName());
      rows.add(row.toString());
    }
    return rows.isEmpty() ? "none registered" : String.join(System.lineSeparator(), rows);
  }

  private Collection<? extends ServiceReference<?>> references(Class<?> service) {
    try {
      ServiceReference<?>[] found = context.getAllServiceReferences(service.getName(), null);
      return found == null ? List.of() : List.of(found);
    } catch (InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String orNone(String value) {
    return value == null ? "(none)" : value;
  }
}
