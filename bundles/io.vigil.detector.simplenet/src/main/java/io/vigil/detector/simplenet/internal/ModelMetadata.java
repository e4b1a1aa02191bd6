package io.vigil.detector.simplenet.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.vigil.api.detector.Calibration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model document, model.json: everything needed to score exactly as where the model was
 * trained (algorithm and format version, backbone and the sha256 of its weights, taps, input size
 * and normalisation, every hyper-parameter, calibration) and a summary of training.
 */
record ModelMetadata(
    int formatVersion,
    String name,
    Instant createdAt,
    String backboneName,
    String backboneSha256,
    SimpleNetParameters parameters,
    int embeddingDimension,
    EmbeddingStandardization standardization,
    Calibration calibration,
    List<Double> holdoutScores,
    TrainingSummary training,
    String weightsSha256) {

  static final String FILE = "model.json";
  static final String WEIGHTS_FILE = "weights.djl";
  static final String FORMAT = "vigil-model";
  static final String ALGORITHM = "simplenet";
  /** 2: standardised embedding, noise by rule, validation record. */
  static final int FORMAT_VERSION = 2;
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeSpecialFloatingPointValues().create();

  /**
   * @param images       good images trained on
   * @param skipped      unreadable items skipped, with their origin
   * @param source       the source's name
   * @param epochLosses  mean loss of each epoch (or of the steps run in the last, partial one)
   * @param seconds      wall time of training, features and calibration included
   * @param noiseStd     the noise's standard deviation used
   * @param noiseRule    how it was set
   * @param steps        training steps run
   * @param bestStep     the step whose network was kept (best on validation)
   * @param validation   the validation record, one checkpoint per validation
   * @param ceiling      the nearest-neighbour ceiling on validation, or null when not measured
   */
  record TrainingSummary(int images, List<String> skipped, String source, List<Double> epochLosses, double seconds,
      double noiseStd, String noiseRule, int steps, int bestStep, List<Checkpoint> validation, Checkpoint ceiling) {}

  /** A validation: after {@code step} steps and {@code seconds} of training, image and pixel AUROC. */
  record Checkpoint(int step, double seconds, double imageAuroc, double pixelAuroc) {}

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
    backbone.add("taps", strings(parameters.taps()));
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
    root.addProperty("embeddingDimension", embeddingDimension);
    if (standardization != null) {
      JsonObject embedding = new JsonObject();
      embedding.addProperty("rule", "standardised = (x - mean) / scale, per dimension, from the training patches;"
          + " scale at least " + EmbeddingStandardization.FLOOR_SHARE + " of the mean standard deviation");
      embedding.add("mean", floats(standardization.mean()));
      embedding.add("scale", floats(standardization.scale()));
      root.add("standardization", embedding);
    }
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
    JsonObject train = new JsonObject();
    train.addProperty("images", training.images());
    train.add("skipped", strings(training.skipped()));
    train.addProperty("source", training.source());
    JsonArray losses = new JsonArray();
    training.epochLosses().forEach(losses::add);
    train.add("epochLosses", losses);
    train.addProperty("seconds", training.seconds());
    JsonObject noise = new JsonObject();
    noise.addProperty("std", training.noiseStd());
    noise.addProperty("rule", training.noiseRule());
    train.add("noise", noise);
    train.addProperty("steps", training.steps());
    train.addProperty("bestStep", training.bestStep());
    JsonArray validation = new JsonArray();
    training.validation().forEach(c -> validation.add(checkpoint(c)));
    train.add("validation", validation);
    if (training.ceiling() != null) {
      train.add("nearestNeighbourCeiling", checkpoint(training.ceiling()));
    }
    root.add("training", train);
    JsonObject weights = new JsonObject();
    weights.addProperty("file", WEIGHTS_FILE);
    weights.addProperty("sha256", weightsSha256);
    root.add("weights", weights);
    return GSON.toJson(root);
  }

  /**
   * Parses model.json, refusing documents of another algorithm or a format this code does not
   * know, with a message that says which.
   */
  static ModelMetadata fromJson(String json, String where) throws ModelFormatException {
    try {
      JsonObject root = JsonParser.parseString(json).getAsJsonObject();
      if (!FORMAT.equals(text(root, "format")) || !ALGORITHM.equals(text(root, "algorithm"))) {
        throw new ModelFormatException(where + " is not a SimpleNet model (algorithm '" + text(root, "algorithm") + "')");
      }
      int version = root.get("formatVersion").getAsInt();
      if (version != FORMAT_VERSION) {
        throw new ModelFormatException(where + " has model format version " + version + "; this Vigil reads version "
            + FORMAT_VERSION + ". Retrain the model or use the Vigil release that wrote it.");
      }
      JsonObject backbone = root.getAsJsonObject("backbone");
      Map<String, Object> hyper = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> entry : root.getAsJsonObject("parameters").entrySet()) {
        JsonPrimitive value = entry.getValue().getAsJsonPrimitive();
        hyper.put(entry.getKey(), value.isNumber() ? (Object) value.getAsDouble() : value.getAsString());
      }
      SimpleNetParameters parameters = SimpleNetParameters.defaults().with(hyper);
      EmbeddingStandardization standardization = null;
      if (root.has("standardization")) {
        JsonObject embedding = root.getAsJsonObject("standardization");
        standardization = new EmbeddingStandardization(floats(embedding.getAsJsonArray("mean")),
            floats(embedding.getAsJsonArray("scale")));
      }
      if (parameters.standardized() != (standardization != null)) {
        throw new ModelFormatException(where + ": parameter standardize=" + parameters.standardize()
            + " but the standardisation is " + (standardization == null ? "missing" : "present"));
      }
      JsonObject cal = root.getAsJsonObject("calibration");
      List<Double> holdout = new ArrayList<>();
      cal.getAsJsonArray("holdoutScores").forEach(e -> holdout.add(e.getAsDouble()));
      JsonObject train = root.getAsJsonObject("training");
      List<String> skipped = new ArrayList<>();
      train.getAsJsonArray("skipped").forEach(e -> skipped.add(e.getAsString()));
      List<Double> losses = new ArrayList<>();
      train.getAsJsonArray("epochLosses").forEach(e -> losses.add(e.getAsDouble()));
      List<Checkpoint> validation = new ArrayList<>();
      train.getAsJsonArray("validation").forEach(e -> validation.add(checkpoint(e.getAsJsonObject())));
      Checkpoint ceiling = train.has("nearestNeighbourCeiling")
          ? checkpoint(train.getAsJsonObject("nearestNeighbourCeiling")) : null;
      JsonObject noise = train.getAsJsonObject("noise");
      return new ModelMetadata(version, text(root, "name"), Instant.parse(text(root, "createdAt")),
          text(backbone, "name"), text(backbone, "weightsSha256"), parameters, root.get("embeddingDimension").getAsInt(),
          standardization,
          new Calibration(cal.get("location").getAsDouble(), cal.get("scale").getAsDouble(),
              cal.get("threshold").getAsDouble()),
          holdout,
          new TrainingSummary(train.get("images").getAsInt(), skipped, text(train, "source"), losses,
              train.get("seconds").getAsDouble(), noise.get("std").getAsDouble(), text(noise, "rule"),
              train.get("steps").getAsInt(), train.get("bestStep").getAsInt(), validation, ceiling),
          text(root.getAsJsonObject("weights"), "sha256"));
    } catch (JsonParseException | IllegalStateException | IllegalArgumentException | NullPointerException
        | UnsupportedOperationException e) {
      throw new ModelFormatException(where + " is not a readable model document: " + e.getMessage(), e);
    } catch (io.vigil.api.detector.TrainingException e) {
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

  private static JsonObject checkpoint(Checkpoint c) {
    JsonObject o = new JsonObject();
    o.addProperty("step", c.step());
    o.addProperty("seconds", c.seconds());
    o.addProperty("imageAuroc", c.imageAuroc());
    o.addProperty("pixelAuroc", c.pixelAuroc());
    return o;
  }

  private static Checkpoint checkpoint(JsonObject o) {
    return new Checkpoint(o.get("step").getAsInt(), o.get("seconds").getAsDouble(), o.get("imageAuroc").getAsDouble(),
        o.get("pixelAuroc").getAsDouble());
  }

  private static JsonArray floats(float[] values) {
    JsonArray array = new JsonArray();
    for (float v : values) {
      array.add(v);
    }
    return array;
  }

  private static float[] floats(JsonArray array) {
    float[] values = new float[array.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = array.get(i).getAsFloat();
    }
    return values;
  }

  private static String text(JsonObject object, String key) {
    JsonElement element = object.get(key);
    return element == null || element.isJsonNull() ? null : element.getAsString();
  }

  private static JsonArray strings(List<String> values) {
    JsonArray array = new JsonArray();
    values.forEach(array::add);
    return array;
  }

  private static JsonPrimitive primitive(Object value) {
    return value instanceof Number number ? new JsonPrimitive(number) : new JsonPrimitive(String.valueOf(value));
  }
}
