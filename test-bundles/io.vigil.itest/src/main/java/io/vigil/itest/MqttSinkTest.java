package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import io.vigil.itest.StationFixtures.ConstantDetector;
import io.vigil.itest.StationFixtures.GatedSource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The MQTT sink against a real Mosquitto on loopback, started by the test: every result of a
 * 200-frame run arrives, also when the broker is stopped mid-run and started again (the sink
 * buffers QoS 1 messages while it is away).
 */
class MqttSinkTest {
  private static final Pattern FRAME = Pattern.compile("\"frame\":\"([^\"]+)\"");
  private final BundleContext context = FrameworkUtil.getBundle(MqttSinkTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private final List<Configuration> configurations = new ArrayList<>();
  private Mosquitto broker;
  private MqttClient subscriber;

  @AfterEach
  void cleanUp() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
    for (Configuration configuration : configurations) {
      configuration.delete();
    }
    admin().getConfiguration(Station.PID, "?").delete();
    if (subscriber != null) {
      subscriber.disconnectForcibly(1000);
      subscriber.close(true);
    }
    if (broker != null) {
      broker.close();
    }
  }

  @Test
  void everyResultReachesTheBrokerAlsoAcrossABrokerRestart(@TempDir Path temp) throws Exception {
    broker = new Mosquitto(temp);
    broker.start();

    Set<String> received = ConcurrentHashMap.newKeySet();
    subscriber = new MqttClient(broker.url(), "itest-subscriber", new MemoryPersistence());
    subscriber.setCallback(new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverUri) {}

      @Override
      public void connectionLost(Throwable cause) {}

      @Override
      public void messageArrived(String topic, MqttMessage message) {
        Matcher frame = FRAME.matcher(new String(message.getPayload(), StandardCharsets.UTF_8));
        if (frame.find()) {
          received.add(frame.group(1));
        }
      }

      @Override
      public void deliveryComplete(IMqttDeliveryToken token) {}
    });
    MqttConnectOptions options = new MqttConnectOptions();
    options.setCleanSession(false); // the broker keeps the subscription and queues for it across its restart
    options.setAutomaticReconnect(true);
    subscriber.connect(options);
    subscriber.subscribe("itest/results", 1);

    Configuration sink = admin().getFactoryConfiguration("io.vigil.sink.mqtt", "itest", "?");
    configurations.add(sink);
    sink.update(new Hashtable<>(Map.of(ResultSink.NAME_PROPERTY, "itest-mqtt", "broker", broker.url(),
        "topic", "itest/results", "status_topic", "itest/status", "qos", 1)));
    Station station = context.getService(context.getServiceReference(Station.class));
    await(() -> state(station).startsWith("connected"), () -> "the MQTT sink connected: " + state(station));

    Collector collector = new Collector("mqtt-line");
    registrations.add(context.registerService(ResultSink.class, collector, null));
    registrations.add(context.registerService(Detector.class, new ConstantDetector("mqtt-detector", 0.4f),
        new Hashtable<>(Map.of(Detector.NAME_PROPERTY, "mqtt-detector"))));
    GatedSource source = new GatedSource("mqtt-line", 200);
    registrations.add(context.registerService(ImageSource.class, source,
        new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, "mqtt-line"))));
    admin().getConfiguration(Station.PID, "?").update(new Hashtable<>(Map.of(
        Station.SOURCE_TARGET, "(vigil.source.name=mqtt-line)", Station.DETECTOR_TARGET,
        "(vigil.detector.name=mqtt-detector)")));

    source.release(100);
    await(() -> received.size() >= 100, () -> "100 messages, have " + received.size());

    broker.stop();
    await(() -> state(station).startsWith("disconnected"), () -> "the sink noticed: " + state(station));
    source.release(100); // scored while the broker is away: buffered by the sink
    await(() -> collector.results.size() >= 200, () -> "200 results, have " + collector.results.size());
    await(() -> delivered(station) >= 200, () -> "the sink took all 200, has " + delivered(station));
    assertTrue(received.size() < 200, "nothing could arrive while the broker was stopped");

    broker.start();
    await(() -> received.size() >= 200, () -> "all 200 after the restart, have " + received.size());
    Set<String> expected = ConcurrentHashMap.newKeySet();
    for (int i = 0; i < 200; i++) {
      expected.add("mqtt-line-" + i);
    }
    assertEquals(expected, received);
    SinkStatus status = sinkStatus(station);
    assertEquals(0, status.failed(), status.toString());
    assertEquals(0, status.dropped(), status.toString());
  }

  @Test
  void sparkplugBBirthsOneDataMessagePerResultAndADeathOnStop(@TempDir Path temp) throws Exception {
    broker = new Mosquitto(temp);
    broker.start();
    List<String> topics = new java.util.concurrent.CopyOnWriteArrayList<>();
    List<org.eclipse.tahu.message.model.SparkplugBPayload> payloads = new java.util.concurrent.CopyOnWriteArrayList<>();
    subscriber = new MqttClient(broker.url(), "itest-sparkplug-host", new MemoryPersistence());
    subscriber.connect();
    subscriber.subscribe("spBv1.0/itest-group/#", 1, (topic, message) -> {
      payloads.add(new org.eclipse.tahu.message.SparkplugBPayloadDecoder().buildFromByteArray(message.getPayload(), null));
      topics.add(topic);
    });

    Configuration sink = admin().getFactoryConfiguration("io.vigil.sink.mqtt", "sparkplug", "?");
    configurations.add(sink);
    sink.update(new Hashtable<>(Map.of(ResultSink.NAME_PROPERTY, "itest-mqtt", "broker", broker.url(),
        "format", "sparkplug-b", "sparkplug.group", "itest-group", "sparkplug.node", "line-1", "qos", 1)));
    Station station = context.getService(context.getServiceReference(Station.class));
    await(() -> state(station).startsWith("connected"), () -> "the MQTT sink connected: " + state(station));
    await(() -> topics.size() >= 2, () -> "the births, have " + topics);

    registrations.add(context.registerService(Detector.class, new ConstantDetector("mqtt-detector", 0.4f),
        new Hashtable<>(Map.of(Detector.NAME_PROPERTY, "mqtt-detector"))));
    GatedSource source = new GatedSource("mqtt-line", 30);
    registrations.add(context.registerService(ImageSource.class, source,
        new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, "mqtt-line"))));
    admin().getConfiguration(Station.PID, "?").update(new Hashtable<>(Map.of(
        Station.SOURCE_TARGET, "(vigil.source.name=mqtt-line)", Station.DETECTOR_TARGET,
        "(vigil.detector.name=mqtt-detector)")));
    source.release(30);
    await(() -> topics.size() >= 32, () -> "births and 30 DDATA, have " + topics.size());
    configurations.remove(sink);
    sink.delete(); // a clean stop publishes NDEATH
    await(() -> topics.size() >= 33, () -> "the NDEATH, have " + topics);

    assertEquals("spBv1.0/itest-group/NBIRTH/line-1", topics.get(0));
    assertEquals("spBv1.0/itest-group/DBIRTH/line-1/station", topics.get(1));
    assertEquals("spBv1.0/itest-group/NDEATH/line-1", topics.get(32));
    assertEquals(0L, payloads.get(0).getSeq());
    Object bdSeq = payloads.get(0).getMetrics().stream().filter(m -> m.getName().equals("bdSeq")).findFirst()
        .orElseThrow().getValue();
    assertEquals(bdSeq, payloads.get(32).getMetrics().get(0).getValue(), "NBIRTH and NDEATH pair by bdSeq");
    for (int i = 0; i < 30; i++) {
      assertEquals("spBv1.0/itest-group/DDATA/line-1/station", topics.get(i + 2));
      org.eclipse.tahu.message.model.SparkplugBPayload data = payloads.get(i + 2);
      assertEquals((long) (i + 2), data.getSeq(), "sequence numbers run on");
      Object frame = data.getMetrics().stream().filter(m -> m.getName().equals("frame")).findFirst().orElseThrow()
          .getValue();
      assertEquals("mqtt-line-" + i, frame, "one DDATA per result, in order");
    }
  }

  private static String state(Station station) {
    SinkStatus status = sinkStatus(station);
    return status == null ? "not bound" : status.state();
  }

  private static long delivered(Station station) {
    SinkStatus status = sinkStatus(station);
    return status == null ? 0 : status.delivered();
  }

  private static SinkStatus sinkStatus(Station station) {
    return station.sinks().stream().filter(s -> s.name().equals("itest-mqtt")).findFirst().orElse(null);
  }

  private ConfigurationAdmin admin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }
}
