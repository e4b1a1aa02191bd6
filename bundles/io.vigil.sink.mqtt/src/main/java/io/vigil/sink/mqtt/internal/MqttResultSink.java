package io.vigil.sink.mqtt.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.sink.common.ResultJson;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.DisconnectedBufferOptions;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttCallbackExtended;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes each result as one JSON object (frame, time, source, detector, decision, score,
 * normalized_score, threshold, milliseconds, error). While the broker is away after a first
 * connection, Paho's offline buffer keeps the messages (up to {@code buffer}) and the client
 * reconnects by itself, delivering them in order; before the first connection a result cannot be
 * buffered and fails (counted by the station), while a named thread keeps trying to connect.
 */
@Component(name = "io.vigil.sink.mqtt", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = MqttSinkConfiguration.class, factory = true)
public class MqttResultSink implements ResultSink {
  private static final Logger LOG = LoggerFactory.getLogger(MqttResultSink.class);
  private static final long RETRY_MILLIS = 2000;

  private final MqttSinkConfiguration configuration;
  private final MqttAsyncClient client;
  private final MqttConnectOptions options;
  private final Thread connector;
  /** Sparkplug B births, data and death instead of JSON; null for JSON. */
  private final SparkplugSession sparkplug;
  private volatile boolean running = true;
  private volatile String lastError = "";

  @Activate
  public MqttResultSink(MqttSinkConfiguration configuration) throws MqttException, java.io.IOException {
    this.configuration = configuration;
    sparkplug = "sparkplug-b".equals(configuration.format())
        ? new SparkplugSession(configuration.sparkplug_group(),
            configuration.sparkplug_node().isBlank() ? configuration.vigil_sink_name() : configuration.sparkplug_node(),
            configuration.sparkplug_device(), System.currentTimeMillis() / 1000)
        : null;
    String clientId = configuration.client_id().isBlank() ? "vigil-" + configuration.vigil_sink_name()
        : configuration.client_id();
    client = new MqttAsyncClient(configuration.broker(), clientId, new MemoryPersistence());
    DisconnectedBufferOptions buffer = new DisconnectedBufferOptions();
    buffer.setBufferEnabled(true);
    buffer.setBufferSize(Math.max(1, configuration.buffer()));
    buffer.setPersistBuffer(false);
    buffer.setDeleteOldestMessages(false);
    client.setBufferOpts(buffer);
    options = new MqttConnectOptions();
    options.setAutomaticReconnect(true);
    // A kept session: QoS 1 messages in flight when the broker went away are sent again after reconnecting.
    options.setCleanSession(false);
    options.setMaxInflight(Math.max(10, Math.min(configuration.buffer(), 1000)));
    if (!configuration.username().isBlank()) {
      options.setUserName(configuration.username());
      options.setPassword(configuration.password().toCharArray());
    }
    if (sparkplug != null) {
      options.setWill(sparkplug.topic("NDEATH"), sparkplug.nodeDeath(), 1, false);
    } else if (!configuration.status_topic().isBlank()) {
      options.setWill(configuration.status_topic(), "offline".getBytes(StandardCharsets.UTF_8), 1, true);
    }
    client.setCallback(new MqttCallbackExtended() {
      @Override
      public void connectComplete(boolean reconnect, String serverUri) {
        LOG.info("MQTT sink '{}' {} to {}", configuration.vigil_sink_name(), reconnect ? "reconnected" : "connected",
            serverUri);
        if (sparkplug != null) {
          publishBirths();
        } else {
          publishStatus("online");
        }
      }

      @Override
      public void connectionLost(Throwable cause) {
        lastError = cause == null ? "connection lost" : String.valueOf(cause.getMessage());
        LOG.warn("MQTT sink '{}' lost {}: {}; buffering", configuration.vigil_sink_name(), serverUri(), lastError);
      }

      @Override
      public void messageArrived(String topic, MqttMessage message) {}

      @Override
      public void deliveryComplete(org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token) {}
    });
    connector = new Thread(this::connectUntilConnected, "vigil-mqtt-connect-" + configuration.vigil_sink_name());
    connector.setDaemon(true);
    connector.start();
  }

  /** The first connection; after it Paho's automatic reconnect takes over. */
  private void connectUntilConnected() {
    while (running && !client.isConnected()) {
      try {
        client.connect(options).waitForCompletion(TimeUnit.SECONDS.toMillis(10));
        return;
      } catch (MqttException e) {
        lastError = e.getMessage();
        try {
          Thread.sleep(RETRY_MILLIS);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  @Override
  public void accept(InspectionResult result) {
    try {
      if (sparkplug != null) {
        // QoS as configured (Sparkplug asks 0 for DDATA; 1 keeps results across a broker restart), never retained.
        client.publish(sparkplug.topic("DDATA"), sparkplug.deviceData(result), configuration.qos(), false);
        return;
      }
      MqttMessage message = new MqttMessage(ResultJson.of(result).getBytes(StandardCharsets.UTF_8));
      message.setQos(configuration.qos());
      message.setRetained(configuration.retain());
      client.publish(configuration.topic(), message);
    } catch (java.io.IOException e) {
      throw new IllegalStateException("Sparkplug B payload: " + e.getMessage(), e);
    } catch (MqttException e) {
      throw new IllegalStateException("MQTT " + serverUri() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String state() {
    if (client.isConnected()) {
      return "connected to " + serverUri();
    }
    int buffered = client.getBufferedMessageCount();
    return "disconnected from " + serverUri() + (lastError.isBlank() ? "" : ": " + lastError)
        + (buffered > 0 ? " (" + buffered + " buffered)" : "");
  }

  @Deactivate
  void deactivate() {
    running = false;
    connector.interrupt();
    try {
      if (client.isConnected()) {
        if (sparkplug != null) {
          // A clean stop says goodbye itself; the broker sends the same NDEATH as the will otherwise.
          client.publish(sparkplug.topic("NDEATH"), sparkplug.nodeDeath(), 1, false)
              .waitForCompletion(TimeUnit.SECONDS.toMillis(5));
        } else {
          publishStatus("offline");
        }
        client.disconnect(TimeUnit.SECONDS.toMillis(5)).waitForCompletion(TimeUnit.SECONDS.toMillis(6));
      }
    } catch (MqttException | java.io.IOException e) {
      LOG.warn("MQTT sink '{}' did not disconnect cleanly: {}", configuration.vigil_sink_name(), e.getMessage());
    } finally {
      try {
        client.close(true);
      } catch (MqttException e) {
        LOG.warn("MQTT sink '{}': {}", configuration.vigil_sink_name(), e.getMessage());
      }
    }
  }

  /** NBIRTH then DBIRTH, on every (re)connection, as Sparkplug B asks. */
  private void publishBirths() {
    try {
      client.publish(sparkplug.topic("NBIRTH"), sparkplug.nodeBirth(), 0, false);
      client.publish(sparkplug.topic("DBIRTH"), sparkplug.deviceBirth(), 0, false);
    } catch (MqttException | java.io.IOException e) {
      LOG.warn("MQTT sink '{}': Sparkplug births not published: {}", configuration.vigil_sink_name(), e.getMessage());
    }
  }

  private void publishStatus(String status) {
    if (configuration.status_topic().isBlank()) {
      return;
    }
    try {
      client.publish(configuration.status_topic(), status.getBytes(StandardCharsets.UTF_8), 1, true, null,
          new IMqttActionListener() {
            @Override
            public void onSuccess(IMqttToken token) {}

            @Override
            public void onFailure(IMqttToken token, Throwable e) {
              LOG.warn("MQTT status '{}' not published: {}", status, e.getMessage());
            }
          });
    } catch (MqttException e) {
      LOG.warn("MQTT status '{}' not published: {}", status, e.getMessage());
    }
  }

  private String serverUri() {
    return configuration.broker();
  }

}
