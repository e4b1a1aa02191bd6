package io.vigil.sink.mqtt.internal;

import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import java.io.IOException;
import java.util.Date;
import java.util.List;
import org.eclipse.tahu.SparkplugInvalidTypeException;
import org.eclipse.tahu.message.SparkplugBPayloadEncoder;
import org.eclipse.tahu.message.model.Metric;
import org.eclipse.tahu.message.model.MetricDataType;
import org.eclipse.tahu.message.model.SparkplugBPayload;

/**
 * The station as a Sparkplug B edge node with one device: the topics and the payloads (Eclipse
 * Tahu's encoding) of its births, its results (DDATA) and its death certificate. The sequence number
 * runs 0..255 from each NBIRTH; the birth/death sequence number (bdSeq) is fixed for the life of one
 * sink (Paho reconnects with the same last will), so NBIRTH and NDEATH always pair.
 */
final class SparkplugSession {
  static final String NAMESPACE = "spBv1.0";

  private final String group;
  private final String node;
  private final String device;
  private final long bdSeq;
  private final SparkplugBPayloadEncoder encoder = new SparkplugBPayloadEncoder();
  private long seq;
  private long inspected;
  private long rejected;

  SparkplugSession(String group, String node, String device, long bdSeq) {
    this.group = group;
    this.node = node;
    this.device = device;
    this.bdSeq = bdSeq & 0xFF;
  }

  String topic(String messageType) {
    boolean deviceMessage = messageType.startsWith("D");
    return NAMESPACE + "/" + group + "/" + messageType + "/" + node + (deviceMessage ? "/" + device : "");
  }

  /** NDEATH, the last will: only bdSeq, no sequence number. */
  byte[] nodeDeath() throws IOException {
    return encode(new SparkplugBPayload(new Date(), List.of(metric("bdSeq", MetricDataType.Int64, bdSeq)), null));
  }

  /** NBIRTH (sequence 0): bdSeq and the rebirth control a host application may write. */
  synchronized byte[] nodeBirth() throws IOException {
    seq = 0;
    return encode(new SparkplugBPayload(new Date(), List.of(
        metric("bdSeq", MetricDataType.Int64, bdSeq),
        metric("Node Control/Rebirth", MetricDataType.Boolean, false)), next()));
  }

  /** DBIRTH: every metric DDATA will carry, with its last value. */
  synchronized byte[] deviceBirth() throws IOException {
    return encode(new SparkplugBPayload(new Date(), metrics("", "", Double.NaN, Double.NaN, Double.NaN, 0.0), next()));
  }

  /** One result as DDATA. */
  synchronized byte[] deviceData(InspectionResult result) throws IOException {
    inspected++;
    Detection detection = result.detection();
    String decision = detection == null ? "ERROR" : detection.decision().name();
    if (detection != null && detection.decision() == Decision.NOK) {
      rejected++;
    }
    List<Metric> metrics = metrics(result.frameId(), decision,
        detection == null ? Double.NaN : detection.rawScore(),
        detection == null ? Double.NaN : detection.normalizedScore(),
        result.threshold(), result.processingTime().toNanos() / 1e6);
    return encode(new SparkplugBPayload(Date.from(result.completedAt()), metrics, next()));
  }

  private List<Metric> metrics(String frame, String decision, double score, double normalized, double threshold,
      double milliseconds) {
    return List.of(
        metric("frame", MetricDataType.String, frame),
        metric("decision", MetricDataType.String, decision),
        metric("score", MetricDataType.Double, score),
        metric("normalized_score", MetricDataType.Double, normalized),
        metric("threshold", MetricDataType.Double, threshold),
        metric("milliseconds", MetricDataType.Double, milliseconds),
        metric("inspected", MetricDataType.Int64, inspected),
        metric("rejected", MetricDataType.Int64, rejected));
  }

  private long next() {
    long current = seq;
    seq = (seq + 1) & 0xFF;
    return current;
  }

  private static Metric metric(String name, MetricDataType type, Object value) {
    try {
      return new Metric.MetricBuilder(name, type, value).createMetric();
    } catch (SparkplugInvalidTypeException e) {
      throw new IllegalArgumentException(name + ": " + e.getMessage(), e); // a programming error: types are fixed here
    }
  }

  private byte[] encode(SparkplugBPayload payload) throws IOException {
    return encoder.getBytes(payload, false);
  }
}
