package io.vigil.sink.common;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;

/**
 * One inspection result as the JSON object every sink sends (MQTT message, webhook body, archive
 * sidecar): frame, sequence, time, source, detector, decision (OK, NOK or ERROR), score,
 * normalized_score, threshold, milliseconds and, on error, error.
 */
public final class ResultJson {
  private ResultJson() {}

  public static JsonObject object(InspectionResult result) {
    JsonObject json = new JsonObject();
    json.addProperty("frame", result.frameId());
    json.addProperty("sequence", result.sequence());
    json.addProperty("time", result.completedAt().toString());
    json.addProperty("source", result.sourceName());
    json.addProperty("detector", result.detectorName());
    Detection detection = result.detection();
    json.addProperty("decision", detection == null ? "ERROR" : detection.decision().name());
    if (detection != null) {
      json.addProperty("score", detection.rawScore());
      json.addProperty("normalized_score", detection.normalizedScore());
    }
    if (!Double.isNaN(result.threshold())) {
      json.addProperty("threshold", result.threshold());
    }
    json.addProperty("milliseconds", result.processingTime().toNanos() / 1e6);
    if (result.error() != null) {
      json.addProperty("error", result.error());
    }
    return json;
  }

  /** Compact, one line: a message or a request body. */
  public static String of(InspectionResult result) {
    return object(result).toString();
  }

  /** Indented: a file people read. */
  public static String pretty(InspectionResult result) {
    return new GsonBuilder().setPrettyPrinting().create().toJson(object(result));
  }
}
