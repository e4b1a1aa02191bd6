package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.InspectionEvents;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import io.vigil.itest.ui.UiFixtures.Collector;
import io.vigil.itest.ui.UiFixtures.ConstantDetector;
import io.vigil.itest.ui.UiFixtures.PatternSource;
import io.vigil.itest.ui.UiFixtures.SpotDetector;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/** The station view drives the station: source and detector swaps, the threshold slider; the live view follows. */
class StationViewTest {
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final Collector collector = new Collector();
  private final List<Double> eventThresholds = new CopyOnWriteArrayList<>();
  private UiDriver ui;

  @BeforeEach
  void setUp() throws Exception {
    ui = UiDriver.open("station");
    deleteStationConfiguration();
    register(ResultSink.class, collector, Map.of(ResultSink.NAME_PROPERTY, "ui-collector"));
    Hashtable<String, Object> topics = new Hashtable<>(Map.of(EventConstants.EVENT_TOPIC, InspectionEvents.RESULT_TOPIC));
    registrations.add(ui.context.registerService(EventHandler.class,
        event -> eventThresholds.add((Double) event.getProperty(InspectionEvents.THRESHOLD)), topics));
    register(ImageSource.class, new PatternSource("line-a", 100_000, Duration.ofMillis(30), 70),
        Map.of(ImageSource.NAME_PROPERTY, "line-a"));
    register(ImageSource.class, new PatternSource("line-b", 100_000, Duration.ofMillis(30), 140),
        Map.of(ImageSource.NAME_PROPERTY, "line-b"));
    register(Detector.class, new ConstantDetector("constant-low", 0.1f), Map.of(Detector.NAME_PROPERTY, "constant-low"));
    register(Detector.class, new SpotDetector("spot", 0.7), Map.of(Detector.NAME_PROPERTY, "spot"));
    ui.awaitWidget("station.source");
    await(() -> ui.items("station.source").stream().anyMatch(i -> i.startsWith("line-b"))
        && ui.items("station.detector").stream().anyMatch(i -> i.startsWith("spot")), () -> "the fixtures in the combos");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      registrations.forEach(ServiceRegistration::unregister);
      deleteStationConfiguration();
    } finally {
      ui.close();
    }
  }

  @Test
  void theStationSwapsSourceAndDetectorAsChosenInTheView() throws Exception {
    int start = collector.results.size();
    ui.choose("station.source", "line-b");
    ui.choose("station.detector", "spot");
    ui.press("station.apply");
    await(() -> collector.count(start, "line-b", "spot") >= 5, () -> "results from line-b scored by spot");
    assertEquals("(vigil.source.name=line-b)", stationProperty(Station.SOURCE_TARGET));
    assertEquals("(vigil.detector.name=spot)", stationProperty(Station.DETECTOR_TARGET));
    await(() -> ui.text("station.status").contains("Detector spot"), () -> "the status shows spot");
    await(() -> ui.text("station.sinks").matches("(?s).*ui-collector: ready; \\d+ queued, [1-9]\\d* delivered.*"),
        () -> "the sinks group shows the collector delivering: " + ui.text("station.sinks"));
    Path stationShot = ui.screenshot("station-view");

    int before = collector.results.size();
    ui.choose("station.source", "line-a");
    ui.choose("station.detector", "constant-low");
    ui.press("station.apply");
    // Counted after the swap only: before the first swap the station ran on its defaults, which may
    // well have been line-a and constant-low too.
    await(() -> collector.count(before, "line-a", "constant-low") >= 5,
        () -> "results from line-a scored by constant-low after the swap, have " + describe(collector.since(before)));
    // The swap takes effect between frames: from the first line-a/constant-low result on, only those follow.
    List<InspectionResult> after = collector.since(before);
    int first = 0;
    while (first < after.size() && !isFrom(after.get(first), "line-a", "constant-low")) {
      first++;
    }
    assertTrue(first < after.size(), () -> "no line-a/constant-low result after the swap in " + describe(after));
    for (InspectionResult result : after.subList(first, after.size())) {
      assertTrue(isFrom(result, "line-a", "constant-low"),
          () -> "after the swap took effect, " + describe(List.of(result)) + " in " + describe(after));
    }
    assertTrue(ImageFiles.read(stationShot).width() > 0);
  }

  @Test
  void theThresholdSliderChangesDecisionsLiveAndTheLiveViewShowsThem() throws Exception {
    ui.choose("station.source", "line-b");
    ui.choose("station.detector", "spot");
    ui.press("station.repeat");
    ui.press("station.apply");
    await(() -> decided("line-b", true, Decision.NOK) && decided("line-b", false, Decision.OK),
        () -> "spot rejects the bright squares and passes the rest at its own threshold 0.7");

    // All the way up (1.5 raw): nothing is rejected any more.
    ui.slide("station.threshold", 1000);
    await(() -> sawThreshold(1.5), () -> "results decided at 1.5, have " + lastThresholds());
    int mark = collector.results.size();
    await(() -> collector.results.size() > mark + 6, () -> "more results");
    assertTrue(collector.since(mark).stream()
        .allMatch(r -> r.detection().decision() == Decision.OK), "no NOK above every score");
    assertTrue(ui.text("station.threshold.value").startsWith("1.500 raw"), ui.text("station.threshold.value"));

    // All the way down (-0.1 raw): everything is rejected.
    ui.slide("station.threshold", 0);
    await(() -> sawThreshold(-0.1), () -> "results decided at -0.1, have " + lastThresholds());
    int low = collector.results.size();
    await(() -> collector.results.size() > low + 6, () -> "more results");
    assertTrue(collector.since(low).stream()
        .allMatch(r -> r.detection().decision() == Decision.NOK), "all NOK below every score");
    assertEquals("-0.1", String.valueOf(Math.round(Double.parseDouble(stationProperty(Station.THRESHOLD)) * 10) / 10.0));
    assertEquals("spot", stationProperty(Station.THRESHOLD_DETECTOR));

    // Back to the model's threshold.
    ui.press("station.threshold.reset");
    int reset = collector.results.size();
    await(() -> collector.results.size() > reset + 10 && decided("line-b", false, Decision.OK, reset),
        () -> "good frames pass again at the model's threshold");

    ui.selectTab("Live inspection");
    await(() -> "Live inspection".equals(ui.selectedTab()), () -> "the live view selected");
    await(() -> List.of("OK", "NOK").contains(ui.text("live.decision")), () -> "a decision in the live view");
    await(() -> ui.text("live.origin").contains("detector spot"), () -> "the live view names the detector");
    int shown = collector.results.size();
    await(() -> collector.results.size() >= shown + 8, () -> "more results for the live view's strip");
    Path liveShot = ui.screenshot("live-view-station-swap");
    assertTrue(WorkbenchTest.distinctColours(ImageFiles.read(liveShot)) > 50, "the live view shows images");
  }

  private boolean decided(String source, boolean anomalous, Decision decision) {
    return decided(source, anomalous, decision, 0);
  }

  private boolean decided(String source, boolean anomalous, Decision decision, int from) {
    return collector.since(from).stream()
        .filter(r -> source.equals(r.sourceName()) && r.detection() != null)
        .filter(r -> r.frame().groundTruth().anomalous() == anomalous)
        .anyMatch(r -> r.detection().decision() == decision);
  }

  private static boolean isFrom(InspectionResult result, String source, String detector) {
    return source.equals(result.sourceName()) && detector.equals(result.detectorName());
  }

  private static String describe(List<InspectionResult> results) {
    return results.stream().map(r -> r.frameId() + " " + r.sourceName() + "/" + r.detectorName()).toList().toString();
  }

  private boolean sawThreshold(double expected) {
    return eventThresholds.stream().anyMatch(t -> t != null && Math.abs(t - expected) < 1e-9);
  }

  private List<Double> lastThresholds() {
    List<Double> all = List.copyOf(eventThresholds);
    return all.subList(Math.max(0, all.size() - 5), all.size());
  }

  private String stationProperty(String key) throws Exception {
    Object value = configurationAdmin().getConfiguration(Station.PID, "?").getProperties().get(key);
    return value == null ? null : value.toString();
  }

  private ConfigurationAdmin configurationAdmin() {
    return ui.context.getService(ui.context.getServiceReference(ConfigurationAdmin.class));
  }

  private void deleteStationConfiguration() throws Exception {
    configurationAdmin().getConfiguration(Station.PID, "?").delete();
    await(() -> {
      ServiceReference<Station> reference = ui.context.getServiceReference(Station.class);
      return reference != null && reference.getProperty(Station.SOURCE_TARGET).equals("(vigil.source.name=*)");
    }, () -> "the station on its default configuration");
  }

  private <S> void register(Class<S> type, S service, Map<String, Object> properties) {
    registrations.add(ui.context.registerService(type, service, new Hashtable<>(properties)));
  }
}
