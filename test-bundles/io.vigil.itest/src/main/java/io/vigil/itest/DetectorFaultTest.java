package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import io.vigil.itest.StationFixtures.ConstantDetector;
import io.vigil.itest.StationFixtures.GatedSource;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Issue 17's detector faults in the running station: a detector that throws, one that hangs (the
 * station's {@code scoring.timeout.ms}), and one whose bundle is uninstalled while it scores a
 * frame. Every frame gets exactly one result, in frame order, and the station goes on.
 */
class DetectorFaultTest {
  private static final String BLOCKING_PID = "io.vigil.itest.fixture.blocking";
  private static final String SCORING_PROPERTY = "io.vigil.itest.fixture.scoring";

  private final BundleContext context = FrameworkUtil.getBundle(DetectorFaultTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final CountDownLatch releaseHang = new CountDownLatch(1);
  private Bundle fixtureBundle;

  @AfterEach
  void cleanUp() throws Exception {
    releaseHang.countDown();
    registrations.forEach(ServiceRegistration::unregister);
    if (fixtureBundle != null && fixtureBundle.getState() != Bundle.UNINSTALLED) {
      fixtureBundle.uninstall();
    }
    admin().getConfiguration(BLOCKING_PID, "?").delete();
    admin().getConfiguration(Station.PID, "?").delete();
    System.clearProperty(SCORING_PROPERTY);
  }

  @Test
  void aDetectorThatThrowsGivesThoseFramesErrorResultsAndTheRestAreScored() throws Exception {
    Collector collector = start("throwing", 30, new Faulty("throwing") {
      @Override
      void fault(int frame) {
        if (frame % 5 == 3) {
          throw new IllegalStateException("engine failure on frame " + frame);
        }
      }
    }, Map.of());
    source.release(30);
    await(() -> collector.results.size() >= 30, () -> "30 results, have " + collector.results.size());
    collector.assertEveryFrameExactlyOnce("throwing", 30);
    List<InspectionResult> results = collector.snapshot();
    for (int i = 0; i < 30; i++) {
      InspectionResult result = results.get(i);
      assertEquals("throwing-" + i, result.frameId(), "frame order");
      assertEquals(i % 5 == 3, result.isError(), result.frameId());
      if (result.isError()) {
        assertEquals("engine failure on frame " + i, result.error());
      }
    }
  }

  @Test
  void aHungDetectorTimesOutTheStationGoesOnAndNoThreadIsLostPerFrame() throws Exception {
    java.util.concurrent.atomic.AtomicReference<Thread> hungThread = new java.util.concurrent.atomic.AtomicReference<>();
    Detector hanging = new Faulty("hanging") {
      @Override
      void fault(int frame) {
        if (frame == 5) {
          hungThread.set(Thread.currentThread());
        }
        while (frame == 5 && releaseHang.getCount() > 0) {
          try {
            releaseHang.await();
          } catch (InterruptedException e) {
            // Deaf to it, like a call stuck in native code.
          }
        }
      }
    };
    // The timeout is far above what this detector's 8x8 frames take; nothing below measures time.
    Collector collector = start("hung", 20, hanging, Map.of("scoring.timeout.ms", 1500L, "max.batch", 1));
    source.release(5);
    awaitResults(collector, 5);
    source.release(1);
    awaitResults(collector, 6);
    InspectionResult timedOut = collector.snapshot().get(5);
    assertTrue(timedOut.isError() && timedOut.error().contains("did not return from hung-5 within 1500 ms (scoring.timeout.ms)"),
        String.valueOf(timedOut.error()));
    source.release(4);
    awaitResults(collector, 10);
    for (InspectionResult stuck : collector.snapshot().subList(6, 10)) {
      assertTrue(stuck.isError() && stuck.error().contains("has not returned from hung-5"), String.valueOf(stuck.error()));
    }
    assertTrue(detectThreads() <= 2, "threads in detector calls: " + detectThreads() + " (one abandoned at most)");

    // Released, the hung call returns and the detector scores again: frames go one by one until one is scored.
    releaseHang.countDown();
    // Its abandoned worker ends once the call has returned (the station counts the detector stuck until
    // then): waited for, not raced, so a loaded machine cannot use up the frames first.
    Thread hung = hungThread.get();
    assertNotNull(hung, "the thread of the hung call");
    hung.join(60_000);
    assertFalse(hung.isAlive(), "the hung call returned and its abandoned worker ended");
    int released = 10;
    while (collector.snapshot().get(released - 1).isError()) {
      source.release(1);
      released++;
      int count = released;
      awaitResults(collector, count);
    }
    source.release(20 - released);
    awaitResults(collector, 20);
    collector.assertEveryFrameExactlyOnce("hung", 20);
    List<InspectionResult> results = collector.snapshot();
    int lastError = 0;
    for (int i = 0; i < 20; i++) {
      assertEquals("hung-" + i, results.get(i).frameId(), "frame order");
      if (results.get(i).isError()) {
        lastError = i;
      }
    }
    for (int i = 0; i < 20; i++) {
      assertEquals(i >= 5 && i <= lastError, results.get(i).isError(), "errors only while hung: " + results.get(i).frameId());
    }
    assertTrue(lastError < 19, "the detector scores again once the hung call returned");
  }

  @Test
  void aDetectorBundleUninstalledMidFrameLeavesTheFrameToTheNextDetector() throws Exception {
    Collector collector = start("uninstall", 10, new ConstantDetector("fallback", 0.25f), Map.of("warm.up", false));
    admin().getConfiguration(BLOCKING_PID, "?").update(new Hashtable<>(Map.of("purpose", "DetectorFaultTest")));
    fixtureBundle = installFixture();
    fixtureBundle.start();
    awaitStationDetector("fixture-blocking");
    source.release(1);
    await(() -> System.getProperty(SCORING_PROPERTY) != null, () -> "the fixture detector scoring the first frame");
    fixtureBundle.uninstall(); // the station unbinds it, then it is deactivated and fails its call
    awaitResults(collector, 1);
    source.release(9);
    awaitResults(collector, 10);
    collector.assertEveryFrameExactlyOnce("uninstall", 10);
    for (InspectionResult result : collector.snapshot()) {
      assertFalse(result.isError(), result.frameId() + ": " + result.error());
      assertEquals("fallback", result.detectorName(), result.frameId());
    }
  }

  private GatedSource source;

  /** A constant detector with a fault on some frames (a frame's pixels hold its number). */
  private abstract static class Faulty implements Detector {
    private final ConstantDetector scores;

    Faulty(String name) {
      scores = new ConstantDetector(name, 0.25f);
    }

    abstract void fault(int frame);

    @Override
    public String name() {
      return scores.name();
    }

    @Override
    public String algorithm() {
      return "faulty";
    }

    @Override
    public io.vigil.api.detector.Calibration calibration() {
      return scores.calibration();
    }

    @Override
    public Detection detect(Image image) {
      fault(image.sample(0, 0, 0));
      return scores.detect(image);
    }
  }

  private Collector start(String name, int frames, Detector detector, Map<String, Object> settings) throws Exception {
    Collector collector = new Collector(name);
    registrations.add(context.registerService(ResultSink.class, collector, null));
    // The previous test's deletion of the station's configuration first: one created before SCR saw the
    // deletion would look to SCR like the old one again, and be ignored.
    awaitStationDetectorTarget("(vigil.detector.name=*)");
    Map<String, Object> station = new java.util.HashMap<>(settings);
    station.put(Station.SOURCE_TARGET, "(vigil.source.name=" + name + ")");
    station.put(Station.DETECTOR_TARGET, "(|(vigil.detector.name=" + detector.name() + ")(vigil.detector.name=fixture-blocking))");
    admin().getConfiguration(Station.PID, "?").update(new Hashtable<>(station));
    await(() -> {
      var reference = context.getServiceReference(Station.class);
      return reference != null && station.get(Station.DETECTOR_TARGET).equals(reference.getProperty(Station.DETECTOR_TARGET));
    }, () -> {
      var reference = context.getServiceReference(Station.class);
      String stored;
      try {
        var configurations = admin().listConfigurations("(service.pid=" + Station.PID + ")");
        stored = configurations == null ? "none" : java.util.Arrays.stream(configurations)
            .map(c -> String.valueOf(c.getProperties()) + " location " + c.getBundleLocation() + " change "
                + c.getChangeCount()).toList().toString();
      } catch (Exception e) {
        stored = e.toString();
      }
      return "the station's configuration applied; its service has detector.target "
          + (reference == null ? "(no station)" : reference.getProperty(Station.DETECTOR_TARGET) + ", status "
          + context.getService(reference).status()) + "; Config Admin holds " + stored;
    });
    register(Detector.class, detector, Map.of(Detector.NAME_PROPERTY, detector.name()));
    source = new GatedSource(name, frames);
    register(ImageSource.class, source, Map.of(ImageSource.NAME_PROPERTY, name));
    awaitStationDetector(detector.name());
    return collector;
  }

  private void awaitStationDetectorTarget(String filter) throws InterruptedException {
    await(() -> {
      var reference = context.getServiceReference(Station.class);
      return reference != null && filter.equals(reference.getProperty(Station.DETECTOR_TARGET));
    }, () -> "station detector.target " + filter);
  }

  private static void awaitResults(Collector collector, int count) throws InterruptedException {
    await(() -> collector.results.size() >= count, () -> count + " results, have " + collector.results.size());
  }

  private void awaitStationDetector(String name) throws InterruptedException {
    await(() -> {
      var reference = context.getServiceReference(Station.class);
      return reference != null && name.equals(context.getService(reference).status().detectorName());
    }, () -> "the station bound to detector " + name);
  }

  private static long detectThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("vigil-inspection-detect")).count();
  }

  private Bundle installFixture() throws Exception {
    try (InputStream jar = getClass().getResourceAsStream("/fixtures/detector-b.jar")) {
      assertNotNull(jar, "fixture bundle missing from the test bundle");
      return context.installBundle("itest:fixtures/detector-b.jar#faults", jar);
    }
  }

  private <S> void register(Class<S> type, S service, Map<String, Object> properties) {
    Dictionary<String, Object> dictionary = new Hashtable<>(properties);
    registrations.add(context.registerService(type, service, dictionary));
  }

  private ConfigurationAdmin admin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }
}
