package io.vigil.sink.opcua.internal;

import static org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.Unsigned.uint;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import java.lang.reflect.Proxy;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.eclipse.milo.opcua.sdk.client.OpcUaClient;
import org.eclipse.milo.opcua.sdk.client.api.identity.AnonymousProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.IdentityProvider;
import org.eclipse.milo.opcua.sdk.client.api.identity.UsernameProvider;
import org.eclipse.milo.opcua.stack.core.AttributeId;
import org.eclipse.milo.opcua.stack.core.StatusCodes;
import org.eclipse.milo.opcua.stack.core.security.SecurityPolicy;
import org.eclipse.milo.opcua.stack.core.types.builtin.DataValue;
import org.eclipse.milo.opcua.stack.core.types.builtin.DateTime;
import org.eclipse.milo.opcua.stack.core.types.builtin.LocalizedText;
import org.eclipse.milo.opcua.stack.core.types.builtin.NodeId;
import org.eclipse.milo.opcua.stack.core.types.builtin.StatusCode;
import org.eclipse.milo.opcua.stack.core.types.builtin.Variant;
import org.eclipse.milo.opcua.stack.core.types.builtin.unsigned.UShort;
import org.eclipse.milo.opcua.stack.core.types.enumerated.TimestampsToReturn;
import org.eclipse.milo.opcua.stack.core.types.structured.CallMethodRequest;
import org.eclipse.milo.opcua.stack.core.types.structured.ReadValueId;
import org.eclipse.milo.opcua.stack.core.types.structured.WriteValue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** A real Milo server on loopback, read, written and called by a real Milo client. */
class OpcUaStationServerTest {
  private static final String USER = "line-plc";
  private static final String PASSWORD = "s3cret-from-config";

  @TempDir Path temp;
  private final Dictionary<String, Object> stationConfiguration = new Hashtable<>();
  private OpcUaStationServer server;
  private int port;

  @BeforeEach
  void start() throws Exception {
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    server = new OpcUaStationServer(configuration(Map.of("port", port, "username", USER, "password", PASSWORD)),
        temp.resolve("pki"), configurationAdmin(stationConfiguration));
    assertTrue(server.awaitStarted(120_000), server.state());
  }

  @AfterEach
  void stop() {
    server.stop();
  }

  @Test
  void anAnonymousClientReadsTheLastResultAndCountersButMayNotWriteOrCall() throws Exception {
    server.accept(result(1, "part-1", 0.4, Decision.OK));
    server.accept(result(2, "part-2", 2.5, Decision.NOK));
    server.accept(error(3, "part-3.png"));
    server.accept(result(4, "part-4", 3.25, Decision.NOK));
    assertEquals(List.of(4L, 1L, 2L, 1L), server.counters());

    OpcUaClient client = connect(new AnonymousProvider());
    try {
      UShort ns = client.getNamespaceTable().getIndex(StationNamespace.URI);
      assertNotNull(ns, "the station's namespace is registered");
      assertEquals(4L, read(client, ns, "Station/Counters/Inspected"));
      assertEquals(1L, read(client, ns, "Station/Counters/OK"));
      assertEquals(2L, read(client, ns, "Station/Counters/NOK"));
      assertEquals(1L, read(client, ns, "Station/Counters/Errors"));
      assertEquals("part-4", read(client, ns, "Station/LastResult/FrameId"));
      assertEquals(4L, read(client, ns, "Station/LastResult/Sequence"));
      assertEquals("NOK", read(client, ns, "Station/LastResult/Decision"));
      assertEquals(3.25, (Double) read(client, ns, "Station/LastResult/Score"), 1e-12);
      assertEquals(3.25 / 1.5, (Double) read(client, ns, "Station/LastResult/NormalizedScore"), 1e-12);
      assertEquals(31.0, (Double) read(client, ns, "Station/LastResult/Milliseconds"), 1e-9);
      assertEquals(Instant.parse("2026-12-01T10:00:04Z"), ((DateTime) read(client, ns, "Station/LastResult/Time")).getJavaInstant());
      assertEquals(1.5, (Double) read(client, ns, "Station/Threshold"), 1e-12);
      assertEquals("NO_STATION", read(client, ns, "Station/State"));

      StatusCode write = write(client, ns, "Station/Threshold", 9.0);
      assertEquals(StatusCodes.Bad_UserAccessDenied, write.getValue(), "anonymous write refused: " + write);
      StatusCode call = call(client, ns, "Station/StopInspection");
      assertEquals(StatusCodes.Bad_UserAccessDenied, call.getValue(), "anonymous call refused: " + call);
      assertTrue(stationConfiguration.isEmpty(), "nothing reached the station: " + stationConfiguration);
    } finally {
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void theConfiguredUserStopsAndStartsInspectionAndMovesTheThreshold() throws Exception {
    server.accept(result(1, "part-1", 0.4, Decision.OK));
    server.station = station("tiles-v3");
    OpcUaClient client = connect(new UsernameProvider(USER, PASSWORD));
    try {
      UShort ns = client.getNamespaceTable().getIndex(StationNamespace.URI);
      assertEquals("RUNNING", read(client, ns, "Station/State"));
      assertEquals("tiles-v3", read(client, ns, "Station/Model"));

      assertTrue(call(client, ns, "Station/StopInspection").isGood());
      assertEquals(Boolean.TRUE, stationConfiguration.get(Station.PAUSED));
      assertTrue(call(client, ns, "Station/StartInspection").isGood());
      assertEquals(Boolean.FALSE, stationConfiguration.get(Station.PAUSED));

      StatusCode set = client.call(List.of(new CallMethodRequest(new NodeId(ns, "Station"),
          new NodeId(ns, "Station/SetThreshold"), new Variant[] {new Variant(2.75)}))).get(10, TimeUnit.SECONDS)
          .getResults()[0].getStatusCode();
      assertTrue(set.isGood(), set.toString());
      assertEquals(2.75, stationConfiguration.get(Station.THRESHOLD));
      assertEquals("tiles-v3", stationConfiguration.get(Station.THRESHOLD_DETECTOR));

      assertTrue(write(client, ns, "Station/Threshold", 3.5).isGood());
      assertEquals(3.5, stationConfiguration.get(Station.THRESHOLD));
    } finally {
      client.disconnect().get(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void aWrongPasswordIsRefused() {
    Exception refused = assertThrows(Exception.class, () -> connect(new UsernameProvider(USER, "guess")));
    assertTrue(String.valueOf(refused.getMessage()).contains("Bad_UserAccessDenied")
        || String.valueOf(refused.getMessage()).contains("Bad_IdentityTokenInvalid")
        || String.valueOf(refused.getMessage()).contains("Bad_IdentityTokenRejected"), refused.toString());
  }

  @Test
  void theServerCertificateIsKeptAcrossRestarts() throws Exception {
    byte[] first = Files.readAllBytes(temp.resolve("pki/server.pfx"));
    server.stop();
    server = new OpcUaStationServer(configuration(Map.of("port", port)), temp.resolve("pki"),
        configurationAdmin(stationConfiguration));
    assertTrue(server.awaitStarted(120_000), server.state());
    assertFalse(first.length == 0);
    assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(Files.readAllBytes(temp.resolve("pki/server.pfx"))));
  }

  @Test
  void aTakenPortIsReportedInTheSinkState() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      OpcUaStationServer second = new OpcUaStationServer(configuration(Map.of("port", taken.getLocalPort())),
          temp.resolve("pki2"), configurationAdmin(stationConfiguration));
      try {
        assertFalse(second.awaitStarted(120_000));
        assertTrue(second.state().startsWith("failed: cannot listen on 127.0.0.1:" + taken.getLocalPort()),
            second.state());
        second.accept(result(1, "part-1", 0.4, Decision.OK)); // results still count; nothing throws
        assertEquals(List.of(1L, 1L, 0L, 0L), second.counters());
      } finally {
        second.stop();
      }
    }
  }

  private OpcUaClient connect(IdentityProvider identity) throws Exception {
    OpcUaClient client = OpcUaClient.create("opc.tcp://127.0.0.1:" + port + "/vigil",
        endpoints -> endpoints.stream()
            .filter(e -> SecurityPolicy.None.getUri().equals(e.getSecurityPolicyUri())).findFirst(),
        builder -> builder.setApplicationName(LocalizedText.english("vigil test client"))
            .setApplicationUri("urn:vigil:test-client")
            .setIdentityProvider(identity)
            .setRequestTimeout(uint(10_000))
            .build());
    try {
      client.connect().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      client.disconnect();
      throw e;
    }
    client.readNamespaceTable();
    return client;
  }

  private static Object read(OpcUaClient client, UShort ns, String id) throws Exception {
    DataValue value = client.read(0, TimestampsToReturn.Neither,
        List.of(new ReadValueId(new NodeId(ns, id), AttributeId.Value.uid(), null, null)))
        .get(10, TimeUnit.SECONDS).getResults()[0];
    assertTrue(value.getStatusCode() == null || value.getStatusCode().isGood(), id + ": " + value.getStatusCode());
    return value.getValue().getValue();
  }

  private static StatusCode write(OpcUaClient client, UShort ns, String id, double value) throws Exception {
    return client.write(List.of(new WriteValue(new NodeId(ns, id), AttributeId.Value.uid(), null,
        DataValue.valueOnly(new Variant(value))))).get(10, TimeUnit.SECONDS).getResults()[0];
  }

  private static StatusCode call(OpcUaClient client, UShort ns, String method) throws Exception {
    return client.call(List.of(new CallMethodRequest(new NodeId(ns, "Station"), new NodeId(ns, method), new Variant[0])))
        .get(10, TimeUnit.SECONDS).getResults()[0].getStatusCode();
  }

  private static InspectionResult result(long sequence, String frame, double score, Decision decision) {
    Detection detection = new Detection(new AnomalyMap(1, 1, new float[] {(float) score}), score, score / 1.5, decision);
    return new InspectionResult(sequence, null, frame, "line-1", "tiles-v3", detection, null, Duration.ofMillis(31),
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(sequence), 1.5);
  }

  private static InspectionResult error(long sequence, String origin) {
    return new InspectionResult(sequence, null, origin, "line-1", null, null, "corrupt image", Duration.ZERO,
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(sequence));
  }

  private static Station station(String detector) {
    return () -> new StationStatus(StationStatus.State.RUNNING, "line-1", detector, 1, 0, 30);
  }

  /** The metatype defaults, with {@code values} over them. */
  private static OpcUaServerConfiguration configuration(Map<String, Object> values) {
    return (OpcUaServerConfiguration) Proxy.newProxyInstance(OpcUaServerConfiguration.class.getClassLoader(),
        new Class<?>[] {OpcUaServerConfiguration.class},
        (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
  }

  /** Config Admin holding the station's one configuration in {@code properties}. */
  private static ConfigurationAdmin configurationAdmin(Dictionary<String, Object> properties) {
    Configuration configuration = (Configuration) Proxy.newProxyInstance(Configuration.class.getClassLoader(),
        new Class<?>[] {Configuration.class}, (proxy, method, args) -> switch (method.getName()) {
          case "getProperties" -> properties.isEmpty() ? null : copy(properties);
          case "update" -> {
            @SuppressWarnings("unchecked")
            Dictionary<String, Object> update = (Dictionary<String, Object>) args[0];
            for (var keys = update.keys(); keys.hasMoreElements(); ) {
              String key = keys.nextElement();
              properties.put(key, update.get(key));
            }
            yield null;
          }
          case "getPid" -> Station.PID;
          default -> throw new UnsupportedOperationException(method.getName());
        });
    return (ConfigurationAdmin) Proxy.newProxyInstance(ConfigurationAdmin.class.getClassLoader(),
        new Class<?>[] {ConfigurationAdmin.class}, (proxy, method, args) -> {
          if (method.getName().equals("getConfiguration") && Station.PID.equals(args[0])) {
            return configuration;
          }
          throw new UnsupportedOperationException(method.getName());
        });
  }

  private static Dictionary<String, Object> copy(Dictionary<String, Object> properties) {
    Hashtable<String, Object> copy = new Hashtable<>();
    for (var keys = properties.keys(); keys.hasMoreElements(); ) {
      String key = keys.nextElement();
      copy.put(key, properties.get(key));
    }
    return copy;
  }
}
