package io.vigil.itest;

import static io.vigil.itest.BackboneTest.service;
import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import com.ghgande.j2mod.modbus.procimg.SimpleDigitalOut;
import com.ghgande.j2mod.modbus.procimg.SimpleProcessImage;
import com.ghgande.j2mod.modbus.slave.ModbusSlave;
import com.ghgande.j2mod.modbus.slave.ModbusSlaveFactory;
import io.vigil.api.detector.Decision;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The station under a 30 frames/s camera-like source (320x240 grey frames on a fixed schedule)
 * with a SimpleNet model at its default 224x224 input and every result sink on (CSV log, NOK
 * archive, MQTT to a real Mosquitto, the OPC UA server read by a Milo client, a PLC that is j2mod's
 * Modbus slave on loopback): every frame gets its result, in frame order, and every sink delivers
 * every result. How fast it kept up (frames/s, latency percentiles from a frame's capture to its
 * result) goes to the test's output (its surefire report): this machine's speed is not what the
 * test asserts.
 */
class StationRateTest {
  private static final String STATION_PID = "io.vigil.inspection.station";
  private static final int FRAMES = 150;
  private static final Duration FRAME_INTERVAL = Duration.ofNanos(1_000_000_000L / 30);

  private final BundleContext context = FrameworkUtil.getBundle(StationRateTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  private final List<Configuration> sinks = new ArrayList<>();
  private Mosquitto broker;
  private ModbusSlave plc;

  /** A PLC coil that counts how often it was switched on. */
  private static final class CountingCoil extends SimpleDigitalOut {
    final AtomicInteger pulses = new AtomicInteger();

    @Override
    public synchronized void set(boolean on) {
      if (on && !isSet()) {
        pulses.incrementAndGet();
      }
      super.set(on);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
    for (Configuration sink : sinks) {
      sink.delete();
    }
    if (plc != null) {
      ModbusSlaveFactory.close(plc);
    }
    if (broker != null) {
      broker.close();
    }
    configurationAdmin().getConfiguration(STATION_PID, "?").delete();
    new OsgiSupport().withdrawDetectors("rate-tiles");
  }

  @Test
  void aThirtyFramesPerSecondSourceGetsEveryResultInFrameOrder(@TempDir Path temp) throws Exception {
    DetectorFactory factory = service(DetectorFactory.class, "(vigil.detector.algorithm=simplenet)");
    List<Image> good = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      good.add(SimpleNetTest.surface(320, 240, i));
    }
    factory.train(SimpleNetTest.source(good), Map.of("epochs", 1, "batch.size", 4, "name", "rate-tiles"),
        temp.resolve("rate-tiles"), TrainingMonitor.NONE);

    broker = new Mosquitto(temp);
    broker.start();
    sinks.add(sink("io.vigil.sink.log", Map.of(ResultSink.NAME_PROPERTY, "rate-log",
        "directory", temp.resolve("log").toString())));
    sinks.add(sink("io.vigil.sink.archive", Map.of(ResultSink.NAME_PROPERTY, "rate-archive",
        "directory", temp.resolve("archive").toString(), "ok.every", 10)));
    sinks.add(sink("io.vigil.sink.mqtt", Map.of(ResultSink.NAME_PROPERTY, "rate-mqtt", "broker", broker.url(),
        "topic", "itest/rate")));
    int opcuaPort = freePort();
    sinks.add(sink("io.vigil.sink.opcua", Map.of(ResultSink.NAME_PROPERTY, "rate-opcua", "port", opcuaPort,
        "pki.dir", temp.resolve("pki").toString())));
    CountingCoil rejectCoil = new CountingCoil();
    CountingCoil goodCoil = new CountingCoil();
    int plcPort = freePort();
    SimpleProcessImage image = new SimpleProcessImage(1);
    image.addDigitalOut(rejectCoil);
    image.addDigitalOut(goodCoil);
    plc = ModbusSlaveFactory.createTCPSlave(InetAddress.getLoopbackAddress(), plcPort, 2, false);
    plc.addProcessImage(1, image);
    plc.open();
    sinks.add(sink("io.vigil.sink.plc", Map.of(ResultSink.NAME_PROPERTY, "rate-plc", "port", plcPort,
        "nok.coil", 0, "ok.coil", 1, "pulse.ms", 2)));
    Station stationService = context.getService(context.getServiceReference(Station.class));
    await(() -> sinkNamed(stationService, "rate-mqtt").map(s -> s.state().startsWith("connected")).orElse(false)
        && sinkNamed(stationService, "rate-opcua").map(s -> s.state().startsWith("listening")).orElse(false)
        && sinkNamed(stationService, "rate-log").isPresent() && sinkNamed(stationService, "rate-archive").isPresent()
        && sinkNamed(stationService, "rate-plc").isPresent(),
        () -> "the sinks bound, MQTT connected and OPC UA listening: " + stationService.sinks());

    Collector collector = new Collector("camera-30");
    registrations.add(context.registerService(ResultSink.class, collector, null));
    Configuration station = configurationAdmin().getConfiguration(STATION_PID, "?");
    station.update(new Hashtable<>(Map.of(
        "detector.target", "(vigil.detector.name=rate-tiles)", "source.target", "(vigil.source.name=camera-30)")));
    ScheduledSource camera = new ScheduledSource("camera-30", FRAMES, FRAME_INTERVAL);
    registrations.add(context.registerService(ImageSource.class, camera,
        new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, "camera-30"))));

    await(() -> collector.results.size() >= FRAMES, () -> FRAMES + " results, have " + collector.results.size());
    List<InspectionResult> results = collector.snapshot();
    assertEquals(FRAMES, results.size(), "one result per frame");
    for (int i = 0; i < FRAMES; i++) {
      InspectionResult result = results.get(i);
      assertEquals("camera-30-" + i, result.frameId(), "results in frame order, none lost");
      assertEquals(false, result.isError(), result.frameId() + ": " + result.error());
      assertEquals("rate-tiles", result.detectorName());
    }
    for (String name : List.of("rate-log", "rate-archive", "rate-mqtt", "rate-opcua", "rate-plc")) {
      await(() -> sinkNamed(stationService, name).map(s -> s.delivered() >= FRAMES).orElse(false),
          () -> name + " delivered every result: " + sinkNamed(stationService, name));
      SinkStatus status = sinkNamed(stationService, name).orElseThrow();
      assertEquals(0, status.failed() + status.dropped(), status.toString());
    }
    long noks = results.stream().filter(r -> r.detection().decision() == Decision.NOK).count();
    assertEquals(noks, rejectCoil.pulses.get(), "one PLC reject pulse per NOK");
    assertEquals(FRAMES - noks, goodCoil.pulses.get(), "one PLC good pulse per OK");
    readStationOverOpcUa(opcuaPort, results.get(FRAMES - 1));
    System.out.println("StationRateTest: 30 frames/s source, SimpleNet at 224x224, CSV log + NOK archive + MQTT "
        + "+ OPC UA + PLC on: " + figures(results, camera));
  }

  /** An anonymous OPC UA client reads the counters and the last result, and may not move the threshold. */
  private static void readStationOverOpcUa(int port, InspectionResult last) throws Exception {
    OpcUaClient client = OpcUaClient.create("opc.tcp://127.0.0.1:" + port + "/vigil",
        endpoints -> endpoints.stream().filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri()))
            .findFirst(),
        builder -> builder.setIdentityProvider(new AnonymousProvider()).build());
    client.connect().get(60, TimeUnit.SECONDS);
    try {
      UShort ns = client.readNamespaceTable().getIndex("urn:vigil:station");
      List<ReadValueId> reads = new ArrayList<>();
      for (String id : List.of("Station/Counters/Inspected", "Station/LastResult/FrameId", "Station/LastResult/Score")) {
        reads.add(new ReadValueId(new NodeId(ns, id), AttributeId.Value.uid(), null, null));
      }
      DataValue[] values = client.read(0, TimestampsToReturn.Neither, reads).get(30, TimeUnit.SECONDS).getResults();
      assertEquals((long) FRAMES, values[0].getValue().getValue(), "inspected, over OPC UA");
      assertEquals(last.frameId(), values[1].getValue().getValue(), "the last frame, over OPC UA");
      assertEquals(last.detection().rawScore(), (Double) values[2].getValue().getValue(), 1e-9);
      long written = client.write(List.of(new WriteValue(new NodeId(ns, "Station/Threshold"), AttributeId.Value.uid(),
          null, DataValue.valueOnly(new Variant(9.0))))).get(30, TimeUnit.SECONDS).getResults()[0].getValue();
      assertEquals(StatusCodes.Bad_UserAccessDenied, written, "an anonymous client may not write");
    } finally {
      client.disconnect().get(30, TimeUnit.SECONDS);
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  /**
   * Frames/s kept up and capture-to-result latency percentiles, for the log: over all frames, and
   * over the frames after the first two seconds (a station's start-up, when the JIT compiles the
   * sinks' code beside the scorer, against its steady state), with the slowest frames by index.
   */
  private static String figures(List<InspectionResult> results, ScheduledSource camera) {
    long[] latencies = new long[results.size()];
    for (int i = 0; i < latencies.length; i++) {
      InspectionResult result = results.get(i);
      latencies[i] = Duration.between(result.frame().timestamp(), result.completedAt()).toMillis();
    }
    Integer[] slowest = new Integer[latencies.length];
    Arrays.setAll(slowest, i -> i);
    Arrays.sort(slowest, (a, b) -> Long.compare(latencies[b], latencies[a]));
    StringBuilder worst = new StringBuilder();
    for (int i = 0; i < Math.min(8, slowest.length); i++) {
      worst.append(i == 0 ? "" : ", ").append("#").append(slowest[i]).append(" ").append(latencies[slowest[i]]);
    }
    int startUp = (int) Math.min(latencies.length - 1, Duration.ofSeconds(2).toNanos() / FRAME_INTERVAL.toNanos());
    long[] steady = Arrays.copyOfRange(latencies, startUp, latencies.length);
    Arrays.sort(steady);
    long[] all = latencies.clone();
    Arrays.sort(all);
    double seconds = Duration.between(results.get(0).frame().timestamp(),
        results.get(results.size() - 1).completedAt()).toNanos() / 1e9;
    return String.format("%.1f results/s over %d frames, latency ms p50 %d, p90 %d, p99 %d, max %d; "
        + "after the first %d frames p50 %d, p90 %d, p99 %d, max %d; slowest frames (#index ms) %s; "
        + "frames the source had to hold back (station behind): %d",
        results.size() / seconds, results.size(), percentile(all, 0.5), percentile(all, 0.9),
        percentile(all, 0.99), all[all.length - 1], startUp, percentile(steady, 0.5), percentile(steady, 0.9),
        percentile(steady, 0.99), steady[steady.length - 1], worst, camera.late());
  }

  private static long percentile(long[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p * sorted.length) - 1)];
  }

  private Configuration sink(String factoryPid, Map<String, Object> properties) throws Exception {
    Configuration configuration = configurationAdmin().getFactoryConfiguration(factoryPid, "rate", "?");
    configuration.update(new Hashtable<>(properties));
    return configuration;
  }

  private static java.util.Optional<SinkStatus> sinkNamed(Station station, String name) {
    return station.sinks().stream().filter(s -> s.name().equals(name)).findFirst();
  }

  private ConfigurationAdmin configurationAdmin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }

  /**
   * A camera on a fixed clock: frame i is captured at start + i x interval (its timestamp), or
   * when the station asks for it, if that is later (a real camera would drop it; this one counts
   * it). Frames are 320x240 surfaces.
   */
  static final class ScheduledSource extends StationFixtures.CountedSource {
    private final Duration interval;
    private long start;
    private volatile int late;

    ScheduledSource(String name, int count, Duration interval) {
      super(name, count);
      this.interval = interval;
    }

    int late() {
      return late;
    }

    @Override
    boolean awaitTurn(int index, Duration timeout) throws InterruptedException {
      if (index == 0 && start == 0) {
        start = System.nanoTime(); // the first frame is due when first asked for
      }
      long wait = start + index * interval.toNanos() - System.nanoTime();
      if (wait > timeout.toNanos()) {
        Thread.sleep(timeout.toMillis());
        return false;
      }
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } else if (wait < -interval.toNanos()) {
        late++;
      }
      return true;
    }

    @Override
    Image image(int index) {
      return SimpleNetTest.surface(320, 240, 1000 + index);
    }
  }
}
