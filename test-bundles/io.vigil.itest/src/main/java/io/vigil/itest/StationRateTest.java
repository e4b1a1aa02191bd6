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
import java.nio.file.Path;
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
 * with a SimpleNet model at its default 224x224 input and the result sinks on (CSV log, NOK
 * archive, MQTT to a real Mosquitto): every frame gets its result, in frame order, and every sink
 * delivers every result. How fast it kept up (frames/s, latency percentiles from a frame's capture to its
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

  @AfterEach
  void cleanUp() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
    for (Configuration sink : sinks) {
      sink.delete();
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
    Station stationService = context.getService(context.getServiceReference(Station.class));
    await(() -> sinkNamed(stationService, "rate-mqtt").map(s -> s.state().startsWith("connected")).orElse(false)
        && sinkNamed(stationService, "rate-log").isPresent() && sinkNamed(stationService, "rate-archive").isPresent(),
        () -> "the sinks bound and MQTT connected: " + stationService.sinks());

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
    for (String name : List.of("rate-log", "rate-archive", "rate-mqtt")) {
      await(() -> sinkNamed(stationService, name).map(s -> s.delivered() >= FRAMES).orElse(false),
          () -> name + " delivered every result: " + sinkNamed(stationService, name));
      SinkStatus status = sinkNamed(stationService, name).orElseThrow();
      assertEquals(0, status.failed() + status.dropped(), status.toString());
    }
    System.out.println("StationRateTest: 30 frames/s source, SimpleNet at 224x224, CSV log + NOK archive + MQTT on: "
        + figures(results, camera));
  }

  /** Frames/s kept up and capture-to-result latency percentiles, for the log. */
  private static String figures(List<InspectionResult> results, ScheduledSource camera) {
    long[] latencies = new long[results.size()];
    for (int i = 0; i < latencies.length; i++) {
      InspectionResult result = results.get(i);
      latencies[i] = Duration.between(result.frame().timestamp(), result.completedAt()).toMillis();
    }
    Arrays.sort(latencies);
    double seconds = Duration.between(results.get(0).frame().timestamp(),
        results.get(results.size() - 1).completedAt()).toNanos() / 1e9;
    return String.format("%.1f results/s over %d frames, latency ms p50 %d, p90 %d, p99 %d, max %d; "
        + "frames the source had to hold back (station behind): %d",
        results.size() / seconds, results.size(), percentile(latencies, 0.5), percentile(latencies, 0.9),
        percentile(latencies, 0.99), latencies[latencies.length - 1], camera.late());
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
