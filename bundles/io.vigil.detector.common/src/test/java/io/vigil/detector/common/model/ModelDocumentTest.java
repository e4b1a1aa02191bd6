package io.vigil.detector.common.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.TrainingException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelDocumentTest {
  private static final Instant CREATED = Instant.parse("2026-01-02T03:04:05Z");

  private static String document(String algorithm, int version) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    parameters.put("taps", "a,b");
    parameters.put("batch.size", 8);
    parameters.put("reweighting", true);
    JsonObject root = ModelDocument.header(algorithm, version, "tiles", CREATED);
    root.add("backbone", ModelDocument.backbone("mobilenet_v2", "abc", List.of("a", "b")));
    root.add("parameters", ModelDocument.parameters(parameters));
    root.add("calibration", ModelDocument.calibration(new Calibration(1.5, 0.5, 3.0), 0.99, List.of(1.0, 2.0)));
    return ModelDocument.toJson(root);
  }

  @Test
  void theSharedPartsReadBackAsWritten() throws ModelFormatException {
    String json = document("test", 1);
    record Read(String name, Instant created, List<String> taps, Map<String, Object> parameters, Calibration calibration,
        List<Double> holdout) {}
    Read read = ModelDocument.fromJson(json, "model.json", "test", "Test", 1, (root, version) -> new Read(
        ModelDocument.text(root, "name"), Instant.parse(ModelDocument.text(root, "createdAt")),
        ModelDocument.strings(root.getAsJsonObject("backbone").getAsJsonArray("taps")), ModelDocument.parameters(root),
        ModelDocument.calibration(root), ModelDocument.holdoutScores(root)));
    assertEquals("tiles", read.name());
    assertEquals(CREATED, read.created());
    assertEquals(List.of("a", "b"), read.taps());
    assertEquals(Map.of("taps", "a,b", "batch.size", 8.0, "reweighting", true), read.parameters());
    assertEquals(new Calibration(1.5, 0.5, 3.0), read.calibration());
    assertEquals(List.of(1.0, 2.0), read.holdout());
  }

  @Test
  void anotherAlgorithmAnotherVersionAndBrokenDocumentsAreRefusedSayingWhy() {
    ModelDocument.Reader<String> name = (root, version) -> ModelDocument.text(root, "name");
    String other = assertThrows(ModelFormatException.class,
        () -> ModelDocument.fromJson(document("other", 1), "m.json", "test", "Test", 1, name)).getMessage();
    assertTrue(other.contains("not a Test model (algorithm 'other')"), other);
    String version = assertThrows(ModelFormatException.class,
        () -> ModelDocument.fromJson(document("test", 2), "m.json", "test", "Test", 1, name)).getMessage();
    assertTrue(version.contains("format version 2; this Vigil reads version 1"), version);
    String broken = assertThrows(ModelFormatException.class,
        () -> ModelDocument.fromJson("{\"format\": ", "m.json", "test", "Test", 1, name)).getMessage();
    assertTrue(broken.startsWith("m.json is not a readable model document"), broken);
    String refused = assertThrows(ModelFormatException.class, () -> ModelDocument.fromJson(document("test", 1),
        "m.json", "test", "Test", 1, (root, v) -> {
          throw new TrainingException("seed must be a number");
        })).getMessage();
    assertTrue(refused.contains("has bad parameters: seed must be a number"), refused);
  }
}
