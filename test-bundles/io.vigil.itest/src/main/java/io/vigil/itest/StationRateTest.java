package io.vigil.itest;

import static io.vigil.itest.BackboneTest.service;
import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
 * with a SimpleNet model at its default 224x224 input: every frame gets its result, in frame
 * order. How fast it kept up (frames/s, latency percentiles from a frame's capture to its
 * result) goes to the test's output (its surefire report): this machine's speed is not what the
 * test asserts.
 */
class StationRateTest {
  private static final String STATION_PID = "io.vigil.inspection.station";
  private static final int FRAMES = 150;
  private static final Duration FRAME_INTERVAL = Duration.ofNanos(1_000_000_000L / 30);

  private final BundleContext context = FrameworkUtil.getBundle(StationRateTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
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
    System.out.println("StationRateTest: 30 frames/s source, SimpleNet at 224x224: " + figures(results, camera));
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

  private ConfigurationAdmin configurationAdmin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }

  /**
   * A camera on a fixed clock: frame i is captured at start + i x interval (its timestamp), or
   * when the station asks for it, if that is later (a real camera would drop it; this one counts it).
   */
  static final class ScheduledSource implements ImageSource {
    private final String name;
    private final int count;
    private final Duration interval;
    private volatile int late;

    ScheduledSource(String name, int count, Duration interval) {
      this.name = name;
      this.count = count;
      this.interval = interval;
    }

    int late() {
      return late;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean isFinite() {
      return true;
    }

    @Override
    public FrameStream open() {
      return new FrameStream() {
        private final long start = System.nanoTime();
        private int next;

        @Override
        public Frame next(Duration timeout) throws InterruptedException {
          if (next >= count) {
            return null;
          }
          long due = start + next * interval.toNanos();
          long wait = due - System.nanoTime();
          if (wait > timeout.toNanos()) {
            Thread.sleep(timeout.toMillis());
            return null;
          }
          if (wait > 0) {
            Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
          } else if (wait < -interval.toNanos()) {
            late++;
          }
          Image image = SimpleNetTest.surface(320, 240, 1000 + next);
          return new Frame(name + "-" + next++, Instant.now(), name, image);
        }

        @Override
        public boolean isExhausted() {
          return next >= count;
        }

        @Override
        public OptionalInt size() {
          return OptionalInt.of(count);
        }

        @Override
        public void close() {}
      };
    }
  }
}
