package io.vigil.detector.common.model;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of a model document (model.json) every detector writes alike: the header (format,
 * version, algorithm, name, creation time), backbone, input, parameters and calibration. The
 * algorithm adds its own training summary and weights.
 */
public final class ModelDocument {
  /** The "format" every Vigil model document carries. */
  public static final String FORMAT = "vigil-model";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  private ModelDocument() {}

  /** Reads a document's root object; the parts are read with this class's other methods. */
  @FunctionalInterface
  public interface Reader<T> {
    /**
     * @param root          the document's root object, header already checked
     * @param formatVersion the document's format version
     * @throws TrainingException when the stored parameters are refused
     */
    T read(JsonObject root, int formatVersion) throws TrainingException;
  }

  /** A new document's root with its header. */
  public static JsonObject header(String algorithm, int formatVersion, String name, Instant createdAt) {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.addProperty("formatVersion", formatVersion);
    root.addProperty("algorithm", algorithm);
    root.addProperty("name", name);
    root.addProperty("createdAt", createdAt.toString());
    return root;
  }

  /** The "backbone" part: its name, weights' sha256 and the taps read. */
  public static JsonObject backbone(String name, String weightsSha256, List<String> taps) {
    JsonObject backbone = new JsonObject();
    backbone.addProperty("name", name);
    backbone.addProperty("weightsSha256", weightsSha256);
    backbone.add("taps", strings(taps));
    return backbone;
  }

  /** The "input" part for square inputs prepared as the shared patch features prepare them. */
  public static JsonObject input(int size) {
    JsonObject input = new JsonObject();
    input.addProperty("width", size);
    input.addProperty("height", size);
    input.addProperty("resize", "bilinear, aspect ratio not kept; maps are resized back to each image's size");
    input.addProperty("normalization", "RGB in [0, 1] (grey replicated), then the backbone's own ImageNet normalisation");
    return input;
  }

  /** The "parameters" part: booleans and numbers as such, anything else as text. */
  public static JsonObject parameters(Map<String, Object> parameters) {
    JsonObject object = new JsonObject();
    parameters.forEach((key, value) -> object.add(key, primitive(value)));
    return object;
  }

  /** The root's "parameters" as a map: numbers as Double, booleans as Boolean, the rest as text. */
  public static Map<String, Object> parameters(JsonObject root) {
    Map<String, Object> parameters = new LinkedHashMap<>();
    for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject("parameters").entrySet()) {
      JsonPrimitive value = entry.getValue().getAsJsonPrimitive();
      parameters.put(entry.getKey(), value.isNumber() ? (Object) value.getAsDouble()
          : value.isBoolean() ? (Object) value.getAsBoolean() : value.getAsString());
    }
    return parameters;
  }

  /** The "calibration" part, with the rule in words and the held-out scores it came from. */
  public static JsonObject calibration(Calibration calibration, double thresholdQuantile, List<Double> holdoutScores) {
    JsonObject cal = new JsonObject();
    cal.addProperty("location", calibration.location());
    cal.addProperty("scale", calibration.scale());
    cal.addProperty("threshold", calibration.threshold());
    cal.addProperty("rule", "normalised = (raw - location) / scale; NOK when raw >= threshold (the "
        + thresholdQuantile + " quantile of held-out good images)");
    JsonArray scores = new JsonArray();
    holdoutScores.forEach(scores::add);
    cal.add("holdoutScores", scores);
    return cal;
  }

  /** The root's calibration. */
  public static Calibration calibration(JsonObject root) {
    JsonObject cal = root.getAsJsonObject("calibration");
    return new Calibration(cal.get("location").getAsDouble(), cal.get("scale").getAsDouble(),
        cal.get("threshold").getAsDouble());
  }

  /** The held-out scores the root's calibration came from. */
  public static List<Double> holdoutScores(JsonObject root) {
    List<Double> scores = new ArrayList<>();
    root.getAsJsonObject("calibration").getAsJsonArray("holdoutScores").forEach(e -> scores.add(e.getAsDouble()));
    return scores;
  }

  public static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  public static List<String> strings(JsonArray array) {
    List<String> values = new ArrayList<>();
    array.forEach(e -> values.add(e.getAsString()));
    return values;
  }

  /** The text under {@code key}, or null when absent or JSON null. */
  public static String text(JsonObject object, String key) {
    JsonElement element = object.get(key);
    return element == null || element.isJsonNull() ? null : element.getAsString();
  }

  /** The document as pretty-printed JSON. */
  public static String toJson(JsonObject root) {
    return GSON.toJson(root);
  }

  /**
   * Parses a document, refusing another algorithm's or an unknown format version, saying which,
   * and turning a missing or malformed part into a ModelFormatException.
   *
   * @param where     the document's path, for messages
   * @param label     the algorithm as people read it ("PatchCore")
   */
  public static <T> T fromJson(String json, String where, String algorithm, String label, int formatVersion,
      Reader<T> reader) throws ModelFormatException {
    try {
      JsonObject root = JsonParser.parseString(json).getAsJsonObject();
      if (!FORMAT.equals(text(root, "format")) || !algorithm.equals(text(root, "algorithm"))) {
        throw new ModelFormatException(where + " is not a " + label + " model (algorithm '" + text(root, "algorithm") + "')");
      }
      int version = root.get("formatVersion").getAsInt();
      if (version != formatVersion) {
        throw new ModelFormatException(where + " has model format version " + version + "; this Vigil reads version "
            + formatVersion + ". Rebuild the model or use the Vigil release that wrote it.");
      }
      return reader.read(root, version);
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | IllegalArgumentException e) {
      throw new ModelFormatException(where + " is not a readable model document: " + e.getMessage(), e);
    } catch (TrainingException e) {
      throw new ModelFormatException(where + " has bad parameters: " + e.getMessage(), e);
    }
  }

  /** Reads the document {@code file} of a model directory as text. */
  public static String read(Path directory, String file) throws ModelException {
    Path document = directory.resolve(file);
    if (!Files.isRegularFile(document)) {
      throw new ModelException(directory + " holds no model: " + file + " missing");
    }
    try {
      return Files.readString(document, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ModelException("cannot read model " + directory + ": " + e.getMessage(), e);
    }
  }

  private static JsonPrimitive primitive(Object value) {
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    return value instanceof Number number ? new JsonPrimitive(number) : new JsonPrimitive(String.valueOf(value));
  }
}
