package io.vigil.shell.internal;

import io.vigil.cli.SavedModels;
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
import java.util.concurrent.Callable;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil station}: runs the station headless and prints one line per result until Ctrl-C
 * (or, with {@code --count N}, until N results). The quick-setup flags create, for this run, the
 * configurations a {@code deploy/} folder would hold, and remove them afterwards.
 */
@Component(property = Command.NAME_PROPERTY + "=station")
public class StationCommand implements Command {
  static final String SOURCE_NAME = "station-source";
  private static final String CAMERA_PREFIX = "camera:";
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
  public Callable<Integer> newCommand(CommandContext console) {
    return new Run(console);
  }

  /** The flags: each sets up, for this run only, what a deploy/*.config file would. */
  @picocli.CommandLine.Command(name = "station",
      description = {"Run the inspection station headless, one line per result, until Ctrl-C.",
          "Runs the inspection loop and prints each result: sequence, frame, decision, raw and normalised score, "
              + "milliseconds. Without flags it uses the configured source, detector and sinks (deploy/*.config); "
              + "the flags set up, for this run only, what those files would."})
  final class Run implements Callable<Integer> {
    private final CommandContext console;

    @Option(names = "--model", paramLabel = "DIR", description = "a saved model as the detector")
    Path model;
    @Option(names = "--source", paramLabel = "FOLDER|camera:ID",
        description = "the images in FOLDER, sorted, as the source; camera:ID a GenICam camera (camera: the first)")
    String source;
    @Option(names = "--count", paramLabel = "N", description = "stop after N results (default: run until Ctrl-C)")
    long count = Long.MAX_VALUE;
    @Option(names = "--log", paramLabel = "FILE", description = "a CSV result log, e.g. results.csv (io.vigil.sink.log)")
    Path log;
    @Option(names = "--archive", paramLabel = "DIR", description = "NOK images with heatmaps and JSON sidecars (io.vigil.sink.archive)")
    Path archive;
    @Option(names = "--mqtt", paramLabel = "URL", description = "one JSON message per result to this broker, e.g. tcp://HOST:1883 (io.vigil.sink.mqtt), QoS 1")
    String mqtt;
    @Option(names = "--topic", paramLabel = "T", defaultValue = "vigil/results", description = "the MQTT topic (default: ${DEFAULT-VALUE})")
    String topic;
    @Option(names = "--opcua", paramLabel = "PORT",
        description = "an OPC UA server on 127.0.0.1:PORT/vigil, read-only (io.vigil.sink.opcua)")
    Integer opcua;
    @Option(names = "--plc", paramLabel = "HOST[:PORT]",
        description = "a Modbus TCP PLC: coil 0 of unit 1 pulses per NOK (io.vigil.sink.plc; default port 502)")
    String plc;
    @Option(names = "--webhook", paramLabel = "URL", description = "an HTTP POST of each result's JSON, retried with backoff (io.vigil.sink.webhook)")
    String webhook;

    Run(CommandContext console) {
      this.console = console;
    }

    @Override
    public Integer call() throws Exception {
      Path work = console.workingDirectory();
      model = model == null ? null : work.resolve(model);
      boolean camera = source != null && source.startsWith(CAMERA_PREFIX);
      source = source == null || camera ? source : work.resolve(source).toString();
      log = log == null ? null : work.resolve(log);
      archive = archive == null ? null : work.resolve(archive);
      if (source != null && !camera && !Files.isDirectory(Path.of(source))) {
        console.err().println("vigil station: --source " + source + " is neither a folder nor camera:ID");
        return 2;
      }
      return run(this, console);
    }
  }

  private int run(Run flags, CommandContext console) throws Exception {
    Path model = flags.model;
    String source = flags.source;
    Path log = flags.log;
    Path archive = flags.archive;
    String mqtt = flags.mqtt;
    String topic = flags.topic;
    String webhook = flags.webhook;
    long limit = flags.count;
    PrintStream out = console.out();
    List<Configuration> created = new ArrayList<>();
    List<ServiceRegistration<?>> registrations = new ArrayList<>();
    Configuration stationConfiguration = configurationAdmin.getConfiguration(Station.PID, "?");
    Dictionary<String, Object> previous = stationConfiguration.getProperties();
    Detector detector = null;
    try {
      Hashtable<String, Object> settings =
          previous == null ? new Hashtable<>() : new Hashtable<>(FrameworkUtil.asMap(previous));
      if (model != null) {
        detector = SavedModels.load(factories, model, null);
        registrations.add(context.registerService(Detector.class, detector, new Hashtable<>(Map.of(
            Detector.NAME_PROPERTY, detector.name(), Detector.ALGORITHM_PROPERTY, detector.algorithm()))));
        settings.put(Station.DETECTOR_TARGET, "(" + Detector.NAME_PROPERTY + "=" + detector.name() + ")");
        out.println("Detector: " + detector.name() + " (" + detector.algorithm() + ") from " + model);
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
      if (flags.opcua != null) {
        // Read-only (no user): writes and method calls need a user set in a deploy/ configuration.
        created.add(factoryConfiguration("io.vigil.sink.opcua", Map.of(ResultSink.NAME_PROPERTY, "station-opcua",
            "port", flags.opcua)));
        out.println("OPC UA: opc.tcp://127.0.0.1:" + flags.opcua + "/vigil (read-only)");
      }
      if (flags.plc != null) {
        String[] hostPort = flags.plc.split(":", 2);
        created.add(factoryConfiguration("io.vigil.sink.plc", Map.of(ResultSink.NAME_PROPERTY, "station-plc",
            "host", hostPort[0], "port", hostPort.length > 1 ? Integer.parseInt(hostPort[1]) : 502)));
      }
      if (webhook != null) {
        created.add(factoryConfiguration("io.vigil.sink.webhook", Map.of(ResultSink.NAME_PROPERTY, "station-webhook",
            "url", webhook)));
      }
      ConsolePrinter printer = new ConsolePrinter(out, limit);
      registrations.add(context.registerService(ResultSink.class, printer,
          new Hashtable<>(Map.of(ResultSink.NAME_PROPERTY, "console"))));
      awaitSinks((int) created.stream().filter(c -> c.getFactoryPid().startsWith("io.vigil.sink.")).count(), out);
      // The source last: the station binds any source at once, and the sinks must see its first frame.
      if (source != null && source.startsWith(CAMERA_PREFIX)) {
        // An empty id after "camera:" takes the first camera found.
        created.add(factoryConfiguration("io.vigil.source.camera", Map.of(ImageSource.NAME_PROPERTY, SOURCE_NAME,
            "device.id", source.substring(CAMERA_PREFIX.length()))));
        settings.put(Station.SOURCE_TARGET, "(" + ImageSource.NAME_PROPERTY + "=" + SOURCE_NAME + ")");
      } else if (source != null) {
        created.add(factoryConfiguration("io.vigil.source.folder", Map.of(ImageSource.NAME_PROPERTY, SOURCE_NAME,
            "path", Path.of(source).toAbsolutePath().toString(), "mode", "SNAPSHOT")));
        settings.put(Station.SOURCE_TARGET, "(" + ImageSource.NAME_PROPERTY + "=" + SOURCE_NAME + ")");
      }
      if (model != null || source != null) {
        stationConfiguration.update(settings);
      }
      out.println("Station: " + station.status());
      printer.await();
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
        SavedModels.close(detector);
      }
    }
    return 0;
  }

  /**
   * Waits (up to a minute) until the sinks just configured are bound and past "starting" (an OPC UA
   * server loads its address space first), so the first frames reach them too.
   */
  private void awaitSinks(int configured, PrintStream out) throws InterruptedException {
    if (configured == 0) {
      return;
    }
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    while (System.nanoTime() < deadline) {
      List<SinkStatus> sinks = station.sinks().stream().filter(s -> s.name().startsWith("station-")).toList();
      if (sinks.size() >= configured && sinks.stream().noneMatch(s -> s.state().startsWith("starting"))) {
        break;
      }
      Thread.sleep(100);
    }
    for (SinkStatus sink : station.sinks()) {
      out.println("sink " + sink.name() + ": " + sink.state());
    }
  }

  /** Prints each result as it comes and counts them, from before the source starts. */
  private static final class ConsolePrinter implements ResultSink {
    private final PrintStream out;
    private final long wanted;
    private long seen;

    ConsolePrinter(PrintStream out, long wanted) {
      this.out = out;
      this.wanted = wanted;
    }

    @Override
    public synchronized void accept(InspectionResult result) {
      if (seen >= wanted) {
        return; // the run is over; the sinks' summary follows
      }
      out.println(format(result));
      seen++;
      notifyAll();
    }

    synchronized void await() throws InterruptedException {
      while (seen < wanted) {
        wait();
      }
    }
  }


  private Configuration factoryConfiguration(String factoryPid, Map<String, Object> properties) throws IOException {
    Configuration configuration = configurationAdmin.getFactoryConfiguration(factoryPid, "vigil-station-command", "?");
    configuration.update(new Hashtable<>(properties));
    return configuration;
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
