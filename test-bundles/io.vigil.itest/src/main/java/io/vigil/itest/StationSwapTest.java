package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.InspectionEvents;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import io.vigil.itest.StationFixtures.ConstantDetector;
import io.vigil.itest.StationFixtures.GatedSource;
import io.vigil.itest.StationFixtures.PacedSource;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The station loop in Felix: a detector bundle installed while frames flow takes over by ranking
 * or configuration, and uninstalling it hands back, with every frame scored exactly once.
 */
class StationSwapTest {
  private static final String STATION_PID = "io.vigil.inspection.station";
  private static final String FIXTURE_DETECTOR = "fixture-b";
  private static final String DEFAULT_TARGET = "(vigil.detector.name=*)";
  private static final String PIN_A = "(vigil.detector.name=fixture-a)";

  private final BundleContext context = FrameworkUtil.getBundle(StationSwapTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final Collector collector = new Collector();
  private Bundle fixtureBundle;

  @BeforeEach
  void registerCollector() throws InterruptedException {
    awaitStationDetectorTarget(DEFAULT_TARGET);
    registrations.add(context.registerService(ResultSink.class, collector, null));
  }

  @AfterEach
  void cleanUp() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
    if (fixtureBundle != null && fixtureBundle.getState() != Bundle.UNINSTALLED) {
      fixtureBundle.uninstall();
    }
    Configuration configuration = configurationAdmin().getConfiguration(STATION_PID, "?");
    configuration.delete();
  }

  @Test
  void installedDetectorBundleTakesOverByRankingAndHandsBackOnUninstall() throws Exception {
    int frames = 150;
    register(Detector.class, new ConstantDetector("fixture-a", 0.25f), Map.of(Detector.NAME_PROPERTY, "fixture-a"));
    GatedSource source = new GatedSource("ranking", frames);
    register(ImageSource.class, source, Map.of(ImageSource.NAME_PROPERTY, "ranking"));

    source.release(20);
    awaitResults(20);
    fixtureBundle = installFixture();
    fixtureBundle.start();
    awaitStationDetector(FIXTURE_DETECTOR);
    source.release(40);
    awaitResults(60);
    fixtureBundle.uninstall();
    awaitStationDetector("fixture-a");
    source.release(frames - 60);
    awaitResults(frames);

    collector.assertEveryFrameExactlyOnce("ranking", frames);
    assertEquals(List.of("fixture-a", FIXTURE_DETECTOR, "fixture-a"), collector.detectorRuns());
    for (InspectionResult result : collector.snapshot()) {
      assertEquals(result.detectorName().equals(FIXTURE_DETECTOR) ? 0.75 : 0.25,
          result.detection().rawScore(), 1e-6, result.frameId());
    }
  }

  @Test
  void aDetectorSwappedWhileFramesFlowLosesNoFrame() throws Exception {
    // The same swap with the source running freely: where the swap lands is up to the scheduler,
    // so only what must hold whatever the timing is asserted.
    int frames = 150;
    register(Detector.class, new ConstantDetector("fixture-a", 0.25f), Map.of(Detector.NAME_PROPERTY, "fixture-a"));
    register(ImageSource.class, new PacedSource("free", frames, Duration.ofMillis(5)),
        Map.of(ImageSource.NAME_PROPERTY, "free"));
    awaitResults(10);
    fixtureBundle = installFixture();
    fixtureBundle.start();
    fixtureBundle.uninstall();
    awaitResults(frames);
    collector.assertEveryFrameExactlyOnce("free", frames);
    for (InspectionResult result : collector.snapshot()) {
      assertEquals(result.detectorName().equals(FIXTURE_DETECTOR) ? 0.75 : 0.25,
          result.detection().rawScore(), 1e-6, result.frameId());
    }
  }

  @Test
  void configurationPinsADetectorAgainstRanking() throws Exception {
    int frames = 120;
    Configuration configuration = configurationAdmin().getConfiguration(STATION_PID, "?");
    configuration.update(new Hashtable<>(Map.of("detector.target", PIN_A)));
    awaitStationDetectorTarget(PIN_A);

    register(Detector.class, new ConstantDetector("fixture-a", 0.25f), Map.of(Detector.NAME_PROPERTY, "fixture-a"));
    fixtureBundle = installFixture();
    fixtureBundle.start();
    GatedSource source = new GatedSource("pinned", frames);
    register(ImageSource.class, source, Map.of(ImageSource.NAME_PROPERTY, "pinned"));

    source.release(40);
    awaitResults(40);
    assertFalse(collector.anyFrom(FIXTURE_DETECTOR), "the higher-ranked detector ignored the configuration");

    // Dropping the filter lets ranking decide again: the fixture bundle's detector wins.
    configuration.update(new Hashtable<>(Map.of("detector.target", DEFAULT_TARGET)));
    awaitStationDetector(FIXTURE_DETECTOR);
    source.release(frames - 40);
    awaitResults(frames);
    collector.assertEveryFrameExactlyOnce("pinned", frames);
    assertEquals(List.of("fixture-a", FIXTURE_DETECTOR), collector.detectorRuns());
  }

  @Test
  void resultsArePostedOnEventAdminInOrder() throws Exception {
    int frames = 30;
    List<Event> events = new CopyOnWriteArrayList<>();
    register(EventHandler.class, (EventHandler) events::add,
        Map.of(EventConstants.EVENT_TOPIC, InspectionEvents.RESULT_TOPIC, EventConstants.EVENT_FILTER, "(decision=OK)"));
    register(Detector.class, new ConstantDetector("events", 0.1f), Map.of(Detector.NAME_PROPERTY, "events"));
    register(ImageSource.class, new PacedSource("events", frames, Duration.ofMillis(5)),
        Map.of(ImageSource.NAME_PROPERTY, "events"));

    await(() -> events.size() >= frames, () -> frames + " events, have " + events.size());
    for (int i = 0; i < frames; i++) {
      Event event = events.get(i);
      InspectionResult result = (InspectionResult) event.getProperty(InspectionEvents.RESULT);
      assertNotNull(result);
      assertEquals("events-" + i, event.getProperty(InspectionEvents.FRAME_ID));
      assertEquals("events", event.getProperty(InspectionEvents.DETECTOR));
      assertEquals(0.1, (Double) event.getProperty(InspectionEvents.SCORE), 1e-6);
    }
    Station station = context.getService(context.getServiceReference(Station.class));
    await(() -> station.status().state() == StationStatus.State.FINISHED, () -> "station FINISHED");
    assertEquals("events", station.status().sourceName());
  }

  private void awaitResults(int count) throws InterruptedException {
    await(() -> collector.results.size() >= count, () -> count + " results, have " + collector.results.size());
  }

  /** The station binds a new detector between frames; its status names the one bound now. */
  private void awaitStationDetector(String name) throws InterruptedException {
    await(() -> {
      var reference = context.getServiceReference(Station.class);
      return reference != null && name.equals(context.getService(reference).status().detectorName());
    }, () -> "the station bound to detector " + name);
  }

  /** Config Admin delivers asynchronously; the station's service properties show when it landed. */
  private void awaitStationDetectorTarget(String filter) throws InterruptedException {
    await(() -> {
      var reference = context.getServiceReference(Station.class);
      return reference != null && filter.equals(reference.getProperty("detector.target"));
    }, () -> "station detector.target " + filter);
  }

  private Bundle installFixture() throws Exception {
    try (InputStream jar = getClass().getResourceAsStream("/fixtures/detector-b.jar")) {
      assertNotNull(jar, "fixture bundle missing from the test bundle");
      return context.installBundle("itest:fixtures/detector-b.jar", jar);
    }
  }

  private <S> void register(Class<S> type, S service, Map<String, Object> properties) {
    Dictionary<String, Object> dictionary = new Hashtable<>(properties);
    registrations.add(context.registerService(type, service, dictionary));
  }

  private ConfigurationAdmin configurationAdmin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }
}
