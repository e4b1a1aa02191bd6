package io.vigil.detector.patchcore.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.TrainingException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model document, model.json, in the layout SimpleNet's uses (format, algorithm, backbone and
 * its weights' sha256, input, parameters, calibration, training, weights): everything needed to
 * score exactly as where the bank was built, and a summary of the fit.
 */
record PatchCoreMetadata(
    int formatVersion,
    String name,
    Instant createdAt,
    String backboneName,
    String backboneSha256,
    PatchCoreParameters parameters,
    Calibration calibration,
    List<Double> holdoutScores,
    FitSummary fit,
    String bankSha256) {

  static final String FILE = "model.json";
  static final String BANK_FILE = "bank.bin";
  static final String FORMAT = "vigil-model";
  static final String ALGORITHM = "patchcore";
  static final int FORMAT_VERSION = 1;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  /**
   * @param images           good images the bank was built from (held-out ones excluded)
   * @param skipped          unreadable items skipped, with their origin
   * @param source           the source's name
   * @param patches          training patches extracted
   * @param candidates       patches the coreset chose among
   * @param bankSize         entries in the bank
   * @param featureDimension values per patch feature
   * @param featureSeconds   feature extraction time
   * @param coresetSeconds   coreset selection time (projection included)
   * @param seconds          wall time of the whole fit, calibration and saving included
   */
  record FitSummary(int images, List<String> skipped, String source, long patches, int candidates, int bankSize,
      int featureDimension, double featureSeconds, double coresetSeconds, double seconds) {}

  String toJson() {
    JsonObject root = new JsonObject();
    root.addProperty("format", FORMAT);
    root.addProperty("formatVersion", formatVersion);
    root.addProperty("algorithm", ALGORITHM);
    root.addProperty("name", name);
    root.addProperty("createdAt", createdAt.toString());
    JsonObject backbone = new JsonObject();
    backbone.addProperty("name", backboneName);
    backbone.addProperty("weightsSha256", backboneSha256);
    JsonArray taps = new JsonArray();
    parameters.taps().forEach(taps::add);
    backbone.add("taps", taps);
    root.add("backbone", backbone);
    JsonObject input = new JsonObject();
    input.addProperty("width", parameters.inputSize());
    input.addProperty("height", parameters.inputSize());
    input.addProperty("resize", "bilinear, aspect ratio not kept; maps are resized back to each image's size");
    input.addProperty("normalization", "RGB in [0, 1] (grey replicated), then the backbone's own ImageNet normalisation");
    root.add("input", input);
    JsonObject hyper = new JsonObject();
    parameters.toMap().forEach((key, value) -> hyper.add(key, primitive(value)));
    root.add("parameters", hyper);
    JsonObject cal = new JsonObject();
    cal.addProperty("location", calibration.location());
    cal.addProperty("scale", calibration.scale());
    cal.addProperty("threshold", calibration.threshold());
    cal.addProperty("rule", "normalised = (raw - location) / scale; NOK when raw >= threshold (the "
        + parameters.thresholdQuantile() + " quantile of held-out good images)");
    JsonArray scores = new JsonArray();
    holdoutScores.forEach(scores::add);
    cal.add("holdoutScores", scores);
    root.add("calibration", cal);
    JsonObject summary = new JsonObject();
    summary.addProperty("images", fit.images());
    JsonArray skipped = new JsonArray();
    fit.skipped().forEach(skipped::add);
    summary.add("skipped", skipped);
    summary.addProperty("source", fit.source());
    summary.addProperty("patches", fit.patches());
    summary.addProperty("candidates", fit.candidates());
    summary.addProperty("bankSize", fit.bankSize());
    summary.addProperty("featureDimension", fit.featureDimension());
    summary.addProperty("featureSeconds", fit.featureSeconds());
    summary.addProperty("coresetSeconds", fit.coresetSeconds());
    summary.addProperty("seconds", fit.seconds());
    root.add("training", summary);
    JsonObject weights = new JsonObject();
    weights.addProperty("file", BANK_FILE);
    weights.addProperty("sha256", bankSha256);
    weights.addProperty("content", "memory bank: " + fit.bankSize() + " x " + fit.featureDimension() + " "
        + parameters.bankPrecision());
    root.add("weights", weights);
    return GSON.toJson(root);
  }

  /** Parses model.json, refusing another algorithm's or an unknown format version, saying which. */
  static PatchCoreMetadata fromJson(String json, String where) throws ModelFormatException {
    try {
      JsonObject root = JsonParser.parseString(json).getAsJsonObject();
      if (!FORMAT.equals(text(root, "format")) || !ALGORITHM.equals(text(root, "algorithm"))) {
        throw new ModelFormatException(where + " is not a PatchCore model (algorithm '" + text(root, "algorithm") + "')");
      }
      int version = root.get("formatVersion").getAsInt();
      if (version != FORMAT_VERSION) {
        throw new ModelFormatException(where + " has model format version " + version + "; this Vigil reads version "
            + FORMAT_VERSION + ". Rebuild the model or use the Vigil release that wrote it.");
      }
      JsonObject backbone = root.getAsJsonObject("backbone");
      Map<String, Object> hyper = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject("parameters").entrySet()) {
        JsonPrimitive value = entry.getValue().getAsJsonPrimitive();
        hyper.put(entry.getKey(), value.isNumber() ? (Object) value.getAsDouble()
            : value.isBoolean() ? (Object) value.getAsBoolean() : value.getAsString());
      }
      PatchCoreParameters parameters = PatchCoreParameters.defaults().with(hyper);
      JsonObject cal = root.getAsJsonObject("calibration");
      List<Double> holdout = new ArrayList<>();
      cal.getAsJsonArray("holdoutScores").forEach(e -> holdout.add(e.getAsDouble()));
      JsonObject fit = root.getAsJsonObject("training");
      List<String> skipped = new ArrayList<>();
      fit.getAsJsonArray("skipped").forEach(e -> skipped.add(e.getAsString()));
      return new PatchCoreMetadata(version, text(root, "name"), Instant.parse(text(root, "createdAt")),
          text(backbone, "name"), text(backbone, "weightsSha256"), parameters,
          new Calibration(cal.get("location").getAsDouble(), cal.get("scale").getAsDouble(),
              cal.get("threshold").getAsDouble()),
          holdout,
          new FitSummary(fit.get("images").getAsInt(), skipped, text(fit, "source"), fit.get("patches").getAsLong(),
              fit.get("candidates").getAsInt(), fit.get("bankSize").getAsInt(), fit.get("featureDimension").getAsInt(),
              fit.get("featureSeconds").getAsDouble(), fit.get("coresetSeconds").getAsDouble(),
              fit.get("seconds").getAsDouble()),
          text(root.getAsJsonObject("weights"), "sha256"));
    } catch (JsonParseException | IllegalStateException | NullPointerException | UnsupportedOperationException
        | IllegalArgumentException e) {
      throw new ModelFormatException(where + " is not a readable model document: " + e.getMessage(), e);
    } catch (TrainingException e) {
      throw new ModelFormatException(where + " has bad parameters: " + e.getMessage(), e);
    }
  }

  /** A model document that cannot be used. */
  static final class ModelFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    ModelFormatException(String message) {
      super(message);
    }

    ModelFormatException(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private static String text(JsonObject object, String key) {
    JsonElement element = object.get(key);
    return element == null || element.isJsonNull() ? null : element.getAsString();
  }

  private static JsonPrimitive primitive(Object value) {
    if (value instanceof Boolean b) {
      return new JsonPrimitive(b);
    }
    return value instanceof Number number ? new JsonPrimitive(number) : new JsonPrimitive(String.valueOf(value));
  }
}
