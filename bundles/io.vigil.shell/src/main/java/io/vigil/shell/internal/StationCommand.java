package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code ./vigil station}: runs the station headless and prints one line per result until Ctrl-C
 * (or, with {@code --count N}, until N results). The quick-setup flags create, for this run, the
 * configurations a {@code deploy/} folder would hold, and remove them afterwards.
 */
@Component(property = {
    Command.NAME_PROPERTY + "=station",
    Command.SUMMARY_PROPERTY + "=Run the inspection station headless, one line per result, until Ctrl-C"
})
public class StationCommand implements Command {
  static final String SOURCE_NAME = "station-source";
  private final BundleContext context;
  private final Station station;
  private final ConfigurationAdmin configurationAdmin;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Activate
  public StationCommand(BundleContext context, @Reference Station station,
      @Reference ConfigurationAdmin configurationAdmin) {
    this.context = context;
    this.station = station;
    this.configurationAdmin = configurationAdmin;
  }

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil station [--model DIR] [--source FOLDER] [--count N] [--log FILE.csv] [--archive DIR]",
        "                      [--mqtt tcp://HOST:PORT [--topic T]] [--webhook URL]",
        "Runs the inspection loop and prints each result: sequence, frame, decision, raw and normalised",
        "score, milliseconds. Without flags it uses the configured source, detector and sinks (deploy/*.config);",
        "the flags set up, for this run only, what those files would:",
        "  --model DIR      a saved model as the detector",
        "  --source FOLDER  the images in FOLDER, sorted, as the source",
        "  --count N        stop after N results (default: run until Ctrl-C)",
        "  --log FILE.csv   a CSV result log (io.vigil.sink.log)",
        "  --archive DIR    NOK images with heatmaps and JSON sidecars (io.vigil.sink.archive)",
        "  --mqtt URL       one JSON message per result to this broker (io.vigil.sink.mqtt), QoS 1",
        "  --topic T        the MQTT topic (default vigil/results)",
        "  --webhook URL    an HTTP POST of each result's JSON, retried with backoff (io.vigil.sink.webhook)");
  }

  @Override
  public int run(List<String> arguments, CommandContext console) throws Exception {
    long limit = Long.MAX_VALUE;
    Path model = null;
    Path source = null;
    Path log = null;
    Path archive = null;
    String mqtt = null;
    String topic = "vigil/results";
    String webhook = null;
    for (int i = 0; i < arguments.size(); i++) {
      String flag = arguments.get(i);
      if (i + 1 >= arguments.size()) {
        return usageError(console, "missing value for " + flag);
      }
      String value = arguments.get(++i);
      switch (flag) {
        case "--count" -> limit = Long.parseLong(value);
        case "--model" -> model = Path.of(value);
        case "--source" -> source = Path.of(value);
        case "--log" -> log = Path.of(value);
        case "--archive" -> archive = Path.of(value);
        case "--mqtt" -> mqtt = value;
        case "--topic" -> topic = value;
        case "--webhook" -> webhook = value;
        default -> {
          return usageError(console, "unknown option " + flag);
        }
      }
    }
    if (source != null && !Files.isDirectory(source)) {
      console.err().println("vigil station: --source " + source + " is not a folder");
      return 2;
    }
    PrintStream out = console.out();
    List<Configuration> created = new ArrayList<>();
    List<ServiceRegistration<?>> registrations = new ArrayList<>();
    Configuration stationConfiguration = configurationAdmin.getConfiguration(Station.PID, "?");
    Dictionary<String, Object> previous = stationConfiguration.getProperties();
    Detector detector = null;
    try {
      Hashtable<String, Object> settings = copy(previous);
      if (model != null) {
        detector = Models.load(factories, model, null);
        registrations.add(context.registerService(Detector.class, detector, new Hashtable<>(Map.of(
            Detector.NAME_PROPERTY, detector.name(), Detector.ALGORITHM_PROPERTY, detector.algorithm()))));
        settings.put(Station.DETECTOR_TARGET, "(" + Detector.NAME_PROPERTY + "=" + detector.name() + ")");
        out.println("Detector: " + detector.name() + " (" + detector.algorithm() + ") from " + model);
      }
      if (source != null) {
        created.add(factoryConfiguration("io.vigil.source.folder", Map.of(ImageSource.NAME_PROPERTY, SOURCE_NAME,
            "path", source.toAbsolutePath().toString(), "mode", "SNAPSHOT")));
        settings.put(Station.SOURCE_TARGET, "(" + ImageSource.NAME_PROPERTY + "=" + SOURCE_NAME + ")");
      }
      if (log != null) {
        Path directory = log.toAbsolutePath().getParent();
        String prefix = log.getFileName().toString().replaceFirst("\\.csv$", "");
        created.add(factoryConfiguration("io.vigil.sink.log", Map.of(ResultSink.NAME_PROPERTY, "station-log",
            "directory", directory.toString(), "prefix", prefix, "rotate", "never")));
      }
      if (archive != null) {
        created.add(factoryConfiguration("io.vigil.sink.archive", Map.of(ResultSink.NAME_PROPERTY, "station-archive",
            "directory", archive.toAbsolutePath().toString())));
      }
      if (mqtt != null) {
        created.add(factoryConfiguration("io.vigil.sink.mqtt", Map.of(ResultSink.NAME_PROPERTY, "station-mqtt",
            "broker", mqtt, "topic", topic)));
      }
      if (webhook != null) {
        created.add(factoryConfiguration("io.vigil.sink.webhook", Map.of(ResultSink.NAME_PROPERTY, "station-webhook",
            "url", webhook)));
      }
      if (model != null || source != null) {
        stationConfiguration.update(settings);
      }
      out.println("Station: " + station.status());
      printResults(limit, out);
      for (SinkStatus sink : station.sinks()) {
        out.printf(Locale.ROOT, "sink %s: %s, %d delivered, %d failed, %d dropped, %d queued%n", sink.name(),
            sink.state(), sink.delivered(), sink.failed(), sink.dropped(), sink.queued());
      }
    } finally {
      for (Configuration configuration : created) {
        configuration.delete(); // a sink delivers what it has queued before it goes
      }
      if (model != null || source != null) {
        if (previous == null) {
          stationConfiguration.delete();
        } else {
          stationConfiguration.update(previous);
        }
      }
      registrations.forEach(ServiceRegistration::unregister);
      if (detector != null) {
        Models.close(detector);
      }
    }
    return 0;
  }

  private void printResults(long wanted, PrintStream out) throws InterruptedException {
    Object done = new Object();
    long[] seen = {0};
    ResultSink printer = result -> {
      out.println(format(result));
      synchronized (done) {
        seen[0]++;
        done.notifyAll();
      }
    };
    ServiceRegistration<ResultSink> registration = context.registerService(ResultSink.class, printer,
        new Hashtable<>(Map.of(ResultSink.NAME_PROPERTY, "console")));
    try {
      synchronized (done) {
        while (seen[0] < wanted) {
          done.wait();
        }
      }
    } finally {
      registration.unregister();
    }
  }

  private Configuration factoryConfiguration(String factoryPid, Map<String, Object> properties) throws IOException {
    Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, "vigil-station-command", "?");
    configuration.update(new Hashtable<>(properties));
    return configuration;
  }

  private static Hashtable<String, Object> copy(Dictionary<String, Object> properties) {
    Hashtable<String, Object> copy = new Hashtable<>();
    if (properties != null) {
      for (var keys = properties.keys(); keys.hasMoreElements();) {
        String key = keys.nextElement();
        copy.put(key, properties.get(key));
      }
    }
    return copy;
  }

  private int usageError(CommandContext console, String message) {
    console.err().println("vigil station: " + message);
    console.err().println(usage());
    return 2;
  }

  static String format(InspectionResult result) {
    Detection d = result.detection();
    if (d == null) {
      return String.format(Locale.ROOT, "%6d  %-40s  ERROR  %s", result.sequence(), result.frameId(), result.error());
    }
    return String.format(Locale.ROOT, "%6d  %-40s  %-5s raw %.4f  norm %.3f  %s  %.1f ms", result.sequence(),
        result.frameId(), d.decision(), d.rawScore(), d.normalizedScore(), result.detectorName(),
        result.processingTime().toNanos() / 1e6);
  }
}
