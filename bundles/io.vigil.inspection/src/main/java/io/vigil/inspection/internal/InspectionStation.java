package io.vigil.inspection.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.InspectionEvents;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.ImageSource;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The station: binds the selected source and detector (dynamic, greedy: a better-ranked service
 * replaces the bound one at once) and runs the {@link InspectionLoop} on its own thread. Each
 * result goes to every {@link ResultSink} and to Event Admin.
 */
@Component(
    name = InspectionStation.PID,
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    immediate = true)
@Designate(ocd = StationConfiguration.class)
public class InspectionStation implements Station {
  static final String PID = Station.PID;
  private static final Logger LOG = LoggerFactory.getLogger(InspectionStation.class);

  private final InspectionLoop loop = new InspectionLoop(this::publish, new InspectionLoop.Settings(Duration.ofMillis(200), false));

  /** Each sink's queue and thread, in binding order. */
  private final Map<ResultSink, SinkChannel> sinks = new java.util.concurrent.ConcurrentHashMap<>();
  private volatile int sinkQueue = 1000;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile EventAdmin eventAdmin;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addSink(ResultSink sink, Map<String, Object> properties) {
    Object name = properties.get(ResultSink.NAME_PROPERTY);
    String label = name != null ? name.toString() : sink.getClass().getSimpleName() + "-" + properties.get("service.id");
    sinks.put(sink, new SinkChannel(sink, label, sinkQueue));
  }

  void removeSink(ResultSink sink) {
    SinkChannel channel = sinks.remove(sink);
    if (channel != null) {
      try {
        channel.close(2000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public List<SinkStatus> sinks() {
    return sinks.values().stream().map(SinkChannel::status)
        .sorted(java.util.Comparator.comparing(SinkStatus::name)).toList();
  }

  @Activate
  void activate(StationConfiguration configuration) {
    sinkQueue = configuration.sink_queue();
    loop.setScoringTimeout(Duration.ofMillis(Math.max(0, configuration.scoring_timeout_ms())));
    loop.setSettings(settings(configuration));
    loop.start("vigil-inspection");
  }

  @Modified
  void modified(StationConfiguration configuration) {
    sinkQueue = configuration.sink_queue();
    loop.setScoringTimeout(Duration.ofMillis(Math.max(0, configuration.scoring_timeout_ms())));
    loop.setSettings(settings(configuration));
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    loop.stop();
    for (SinkChannel channel : sinks.values()) {
      channel.close(2000); // what is queued is delivered first
    }
  }

  @Reference(
      name = "source",
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindSource(ImageSource source) {
    loop.setSource(source);
  }

  void unbindSource(ImageSource source) {
    loop.clearSource(source);
  }

  @Reference(
      name = "detector",
      cardinality = ReferenceCardinality.OPTIONAL,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindDetector(Detector detector) {
    LOG.info("Detector '{}' ({}) selected", detector.name(), detector.algorithm());
    loop.setDetector(detector);
  }

  void unbindDetector(Detector detector) {
    loop.clearDetector(detector);
  }

  @Override
  public StationStatus status() {
    return loop.status();
  }

  private static InspectionLoop.Settings settings(StationConfiguration configuration) {
    return new InspectionLoop.Settings(Duration.ofMillis(Math.max(10, configuration.poll_timeout_ms())),
        configuration.repeat_finite(), configuration.threshold(), configuration.threshold_detector(),
        configuration.max_batch(), configuration.warm_up(), configuration.paused());
  }

  private void publish(InspectionResult result) {
    for (SinkChannel channel : sinks.values()) {
      channel.offer(result);
    }
    EventAdmin events = eventAdmin;
    if (events != null) {
      events.postEvent(new Event(InspectionEvents.RESULT_TOPIC, eventProperties(result)));
    }
  }

  static Map<String, Object> eventProperties(InspectionResult result) {
    Map<String, Object> properties = new HashMap<>();
    properties.put(InspectionEvents.RESULT, result);
    properties.put(InspectionEvents.FRAME_ID, result.frameId());
    Detection detection = result.detection();
    if (detection == null) {
      properties.put(InspectionEvents.DECISION, "ERROR");
    } else {
      properties.put(InspectionEvents.DECISION, detection.decision().name());
      properties.put(InspectionEvents.SCORE, detection.rawScore());
      properties.put(InspectionEvents.THRESHOLD, result.threshold());
    }
    if (result.detectorName() != null) {
      properties.put(InspectionEvents.DETECTOR, result.detectorName());
    }
    return properties;
  }
}
