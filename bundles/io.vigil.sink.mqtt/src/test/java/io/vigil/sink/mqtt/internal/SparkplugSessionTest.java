package io.vigil.sink.mqtt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Collectors;
import org.eclipse.tahu.message.SparkplugBPayloadDecoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.SparkplugBPayload;
import org.junit.jupiter.api.Test;

/** Payloads written by the session and read back with Tahu's decoder, as a host application would. */
class SparkplugSessionTest {
  private final SparkplugSession session = new SparkplugSession("plant-7", "line-3", "station", 300);

  @Test
  void topicsFollowTheSparkplugNamespace() {
    assertEquals("spBv1.0/plant-7/NBIRTH/line-3", session.topic("NBIRTH"));
    assertEquals("spBv1.0/plant-7/NDEATH/line-3", session.topic("NDEATH"));
    assertEquals("spBv1.0/plant-7/DBIRTH/line-3/station", session.topic("DBIRTH"));
    assertEquals("spBv1.0/plant-7/DDATA/line-3/station", session.topic("DDATA"));
  }

  @Test
  void birthsThenOneDataMessagePerResultWithRunningSequenceNumbers() throws Exception {
    SparkplugBPayload death = decode(session.nodeDeath());
    assertNull(death.getSeq(), "NDEATH carries no sequence number");
    assertEquals(300L & 0xFF, metrics(death).get("bdSeq"));

    SparkplugBPayload nodeBirth = decode(session.nodeBirth());
    assertEquals(0L, nodeBirth.getSeq());
    assertEquals(metrics(death).get("bdSeq"), metrics(nodeBirth).get("bdSeq"), "NBIRTH and NDEATH pair");
    assertEquals(false, metrics(nodeBirth).get("Node Control/Rebirth"));

    SparkplugBPayload deviceBirth = decode(session.deviceBirth());
    assertEquals(1L, deviceBirth.getSeq());
    assertEquals(Map.of("frame", "", "decision", "", "inspected", 0L, "rejected", 0L).keySet().stream()
        .allMatch(metrics(deviceBirth)::containsKey), true, metrics(deviceBirth).toString());

    Detection nok = new Detection(new AnomalyMap(1, 1, new float[] {2f}), 2.5, 1.8, Decision.NOK);
    InspectionResult result = new InspectionResult(1, null, "part-1", "line-3", "tiles", nok, null,
        Duration.ofMillis(24), Instant.parse("2026-12-01T10:00:00Z"), 1.25);
    SparkplugBPayload data = decode(session.deviceData(result));
    assertEquals(2L, data.getSeq());
    Map<String, Object> values = metrics(data);
    assertEquals("part-1", values.get("frame"));
    assertEquals("NOK", values.get("decision"));
    assertEquals(2.5, (Double) values.get("score"), 1e-12);
    assertEquals(1.8, (Double) values.get("normalized_score"), 1e-12);
    assertEquals(1.25, (Double) values.get("threshold"), 1e-12);
    assertEquals(24.0, (Double) values.get("milliseconds"), 1e-9);
    assertEquals(1L, values.get("inspected"));
    assertEquals(1L, values.get("rejected"));
    assertEquals(Instant.parse("2026-12-01T10:00:00Z"), data.getTimestamp().toInstant());

    InspectionResult error = new InspectionResult(2, null, "part-2.png", "line-3", null, null, "corrupt image",
        Duration.ZERO, Instant.parse("2026-12-01T10:00:01Z"));
    Map<String, Object> errorValues = metrics(decode(session.deviceData(error)));
    assertEquals("ERROR", errorValues.get("decision"));
    assertEquals(2L, errorValues.get("inspected"));
    assertEquals(1L, errorValues.get("rejected"));
  }

  @Test
  void theSequenceWrapsAfter255AndStartsAgainAtEachNodeBirth() throws Exception {
    session.nodeBirth();
    long last = -1;
    for (int i = 0; i < 300; i++) {
      last = decode(session.deviceBirth()).getSeq();
      assertTrue(last >= 0 && last <= 255, "seq " + last);
    }
    assertEquals(300 % 256, last);
    assertEquals(0L, decode(session.nodeBirth()).getSeq());
  }

  private static SparkplugBPayload decode(byte[] bytes) throws Exception {
    return new SparkplugBPayloadDecoder().buildFromByteArray(bytes, null);
  }

  private static Map<String, Object> metrics(SparkplugBPayload payload) {
    return payload.getMetrics().stream().collect(Collectors.toMap(Metric::getName, Metric::getValue));
  }
}
