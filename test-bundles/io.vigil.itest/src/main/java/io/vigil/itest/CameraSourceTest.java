package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import io.vigil.itest.StationFixtures.ConstantDetector;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;

/** The camera source against Aravis's simulated GigE Vision camera on loopback. */
class CameraSourceTest {
  private static final String SOURCE = "itest-camera";
  private static final Duration WAIT = Duration.ofSeconds(60);
  private final OsgiSupport osgi = new OsgiSupport();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private FakeCamera camera;
  /**
   * Each configuration this test writes carries a new generation, and frames are read only from
   * the source of the latest one: Config Admin delivers updates and deletes asynchronously, so a
   * source of an earlier configuration (an earlier test's region or pixel format) can still be
   * registered for a moment after it was replaced.
   */
  private static final java.util.concurrent.atomic.AtomicLong GENERATIONS = new java.util.concurrent.atomic.AtomicLong();
  private long generation;

  @BeforeEach
  void startCamera() throws Exception {
    camera = new FakeCamera("VIGIL" + ProcessHandle.current().pid());
    camera.start();
  }

  @AfterEach
  void cleanUp() throws Exception {
    osgi.cleanUp(); // first: the station finishes with this test's frames while its detector is there
    registrations.forEach(ServiceRegistration::unregister);
    osgi.awaitSourceGone(SOURCE);
    camera.close();
  }

  private Map<String, Object> cameraConfiguration(Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>(Map.of(
        "vigil.source.name", SOURCE,
        "device.id", camera.deviceId(),
        "stream.timeout.ms", 1000L,
        "reconnect.initial.ms", 200L,
        "reconnect.max.ms", 1000L));
    properties.putAll(extra);
    generation = GENERATIONS.incrementAndGet();
    properties.put("itest.generation", generation);
    return properties;
  }

  @Test
  void thirtyFramesFromTheSimulatedCameraAndTheStationRecoversWhenItIsStoppedAndStartedAgain() throws Exception {
    Collector collector = new Collector(SOURCE);
    registrations.add(osgi.context.registerService(ResultSink.class, collector, null));
    registrations.add(osgi.context.registerService(Detector.class, new ConstantDetector("itest-camera-detector", 0.3f),
        new Hashtable<>(Map.of(Detector.NAME_PROPERTY, "itest-camera-detector"))));
    osgi.pinStationSource(SOURCE);
    osgi.createFactoryConfiguration("io.vigil.source.camera", cameraConfiguration(Map.of("pixel.format", "Mono8")));
    ImageSource source = currentSource();
    assertFalse(source.isFinite());

    // A reader of our own beside the station, to see what the source reports.
    List<Frame> frames = frames(30);
    try (FrameStream stream = source.open()) {
      Set<String> ids = new HashSet<>();
      Instant previous = Instant.MIN;
      for (Frame frame : frames) {
        assertEquals(512, frame.image().width());
        assertEquals(512, frame.image().height());
        assertEquals(1, frame.image().channels());
        assertEquals("Mono8", frame.metadata().get("pixel.format"));
        assertTrue(ids.add(frame.id()), "unique id " + frame.id());
        assertFalse(frame.timestamp().isBefore(previous), "timestamps in order");
        assertTrue(Duration.between(frame.timestamp(), Instant.now()).abs().compareTo(Duration.ofMinutes(1)) < 0,
            "host timestamp of " + frame.id() + " is now: " + frame.timestamp());
        previous = frame.timestamp();
      }
      await(() -> collector.results.size() >= 30, () -> "30 station results, have " + collector.results.size());

      camera.stop();
      IOException loss = awaitLoss(stream);
      assertTrue(loss.getMessage().contains(SOURCE), loss.getMessage());
    }

    int beforeRestart = collector.results.size();
    camera.start();
    await(() -> collector.results.size() >= beforeRestart + 10,
        () -> "10 station results after the camera came back, have " + (collector.results.size() - beforeRestart));
    assertTrue(collector.results.stream().allMatch(r -> r.detection() != null), "no error results");
    assertEquals(SOURCE, osgi.station().status().sourceName());
    try (FrameStream again = source.open()) {
      assertNotNull(again.next(WAIT), "a new reader gets frames again");
    }

    String cameraThread = "vigil-camera-" + SOURCE;
    assertTrue(OsgiSupport.threadAlive(cameraThread), "the source owns a named camera thread");
    osgi.cleanUp();
    OsgiSupport.awaitThreadGone(cameraThread);
  }

  @Test
  void pixelFormatsAndSoftwareTrigger() throws Exception {
    osgi.pinStationSource("itest-nothing");
    Configuration configuration =
        osgi.createFactoryConfiguration("io.vigil.source.camera", cameraConfiguration(Map.of("pixel.format", "BayerRG8")));
    Frame bayer = firstFrame();
    assertEquals(3, bayer.image().channels(), "Bayer comes as RGB");
    assertEquals(8, bayer.image().bitDepth());

    configuration.update(new Hashtable<>(cameraConfiguration(Map.of("pixel.format", "Mono16",
        "region.width", 256, "region.height", 128))));
    osgi.awaitSourceGone(SOURCE);
    Frame mono16 = firstFrame();
    assertEquals(16, mono16.image().bitDepth());
    assertEquals(256, mono16.image().width());
    assertEquals(128, mono16.image().height());

    configuration.update(new Hashtable<>(cameraConfiguration(Map.of("pixel.format", "RGB8", "trigger", "SOFTWARE"))));
    osgi.awaitSourceGone(SOURCE);
    for (Frame frame : frames(3)) {
      assertEquals(3, frame.image().channels(), "software-triggered frame " + frame.id());
      assertEquals("RGB8", frame.metadata().get("pixel.format"));
    }

    configuration.update(new Hashtable<>(cameraConfiguration(Map.of("pixel.format", "YUV422Packed"))));
    osgi.awaitSourceGone(SOURCE);
    try (FrameStream stream = currentSource().open()) {
      IOException refused = awaitLoss(stream);
      assertTrue(refused.getMessage().contains("YUV422Packed") && refused.getMessage().contains("Mono8"),
          refused.getMessage());
    }
  }

  /** The source of the configuration this test wrote last. */
  private ImageSource currentSource() throws InterruptedException {
    return osgi.awaitSource(SOURCE, "(itest.generation=" + generation + ")");
  }

  private Frame firstFrame() throws Exception {
    return frames(1).get(0);
  }

  /**
   * {@code count} frames, read as the station reads: a camera that drops out while it is being
   * (re)configured is reported as lost and reconnected, so a loss means reopen and read on. On a
   * loaded machine the simulated camera does time out now and then (GigE read_memory timeout).
   */
  private List<Frame> frames(int count) throws Exception {
    List<Frame> frames = new ArrayList<>();
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (frames.size() < count) {
      try (FrameStream stream = currentSource().open()) {
        while (frames.size() < count) {
          Frame frame = stream.next(WAIT);
          assertNotNull(frame, "frame " + frames.size() + " within " + WAIT);
          frames.add(frame);
        }
      } catch (IOException lost) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("only " + frames.size() + " of " + count + " frames within " + WAIT
              + "; the camera kept dropping out", lost);
        }
      }
    }
    return frames;
  }

  /** Reads until the stream reports the camera lost. */
  private static IOException awaitLoss(FrameStream stream) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        stream.next(Duration.ofMillis(500));
      } catch (IOException e) {
        return e;
      } catch (FrameReadException e) {
        fail("a frame error instead of a loss: " + e.getMessage());
      }
    }
    throw new AssertionError("the source did not report the camera lost within 60 s");
  }
}
