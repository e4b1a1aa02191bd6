package io.vigil.detector.efficientad.internal;

import static io.vigil.detector.common.model.ModelDocument.text;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.vigil.api.detector.Calibration;
import io.vigil.detector.common.model.ModelDocument;
import io.vigil.detector.common.model.ModelFormatException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The model document, model.json, in the layout the other detectors use (format, algorithm,
 * backbone and its weights' sha256, input, parameters, calibration, training, weights), plus
 * what EfficientAD scores with besides its weights: the teacher's per-channel standardisation and
 * the two maps' normalisation quantiles.
 */
record EfficientAdMetadata(
    int formatVersion,
    String name,
    Instant createdAt,
    String backboneName,
    String backboneSha256,
    EfficientAdParameters parameters,
    TeacherNormalization teacher,
    MapNormalization maps,
    Calibration calibration,
    List<Double> holdoutScores,
    TrainingSummary training,
    String weightsSha256) {

  static final String FILE = "model.json";
  static final String WEIGHTS_FILE = "weights.djl";
  static final String ALGORITHM = "efficientad";
  static final int FORMAT_VERSION = 1;

  /**
   * One validation during training (held-out good images and synthetic defects).
   *
   * @param loss the training loss of the step validated after
   */
  record Checkpoint(int step, double seconds, double loss, double imageAuroc, double pixelAuroc) {}

  /**
   * @param images         good images trained on (held-out ones excluded)
   * @param skipped        unreadable items skipped, with their origin
   * @param source         the source's name
   * @param steps          steps taken (fewer than asked when the time budget ran out)
   * @param bestStep       the step whose networks were kept
   * @param featureSeconds time to prepare the inputs and the teacher's features
   * @param seconds        wall time of the whole training, calibration and saving included
   * @param checkpoints    every validation, in order: the learning curve
   */
  record TrainingSummary(int images, List<String> skipped, String source, int steps, int bestStep,
      double featureSeconds, double seconds, List<Checkpoint> checkpoints) {}

  String toJson() {
    JsonObject root = ModelDocument.header(ALGORITHM, formatVersion, name, createdAt);
    root.add("backbone", ModelDocument.backbone(backboneName, backboneSha256, parameters.teacherTaps()));
    root.add("input", ModelDocument.input(parameters.inputSize()));
    root.add("parameters", ModelDocument.parameters(parameters.toMap()));
    root.add("calibration", ModelDocument.calibration(calibration, parameters.thresholdQuantile(), holdoutScores));
    JsonObject normalization = new JsonObject();
    normalization.add("teacherMean", floats(teacher.mean()));
    normalization.add("teacherStd", floats(teacher.std()));
    normalization.addProperty("studentTeacherLow", maps.studentLow());
    normalization.addProperty("studentTeacherHigh", maps.studentHigh());
    normalization.addProperty("studentAutoencoderLow", maps.autoencoderLow());
    normalization.addProperty("studentAutoencoderHigh", maps.autoencoderHigh());
    normalization.addProperty("rule", "teacher = (features - teacherMean) / teacherStd per channel; map = 0.05 (st - "
        + "stLow) / (stHigh - stLow) + 0.05 (ae - aeLow) / (aeHigh - aeLow); low and high are the "
        + parameters.mapQuantileLow() + " and " + parameters.mapQuantileHigh() + " quantiles on held-out good images");
    root.add("normalization", normalization);
    JsonObject summary = new JsonObject();
    summary.addProperty("images", training.images());
    summary.add("skipped", ModelDocument.strings(training.skipped()));
    summary.addProperty("source", training.source());
    summary.addProperty("steps", training.steps());
    summary.addProperty("bestStep", training.bestStep());
    summary.addProperty("featureSeconds", training.featureSeconds());
    summary.addProperty("seconds", training.seconds());
    JsonArray checkpoints = new JsonArray();
    for (Checkpoint c : training.checkpoints()) {
      JsonObject o = new JsonObject();
      o.addProperty("step", c.step());
      o.addProperty("seconds", c.seconds());
      o.addProperty("loss", c.loss());
      o.addProperty("validationImageAuroc", c.imageAuroc());
      o.addProperty("validationPixelAuroc", c.pixelAuroc());
      checkpoints.add(o);
    }
    summary.add("checkpoints", checkpoints);
    root.add("training", summary);
    JsonObject weights = new JsonObject();
    weights.addProperty("file", WEIGHTS_FILE);
    weights.addProperty("sha256", weightsSha256);
    weights.addProperty("content", "DJL parameters of the student, then of the autoencoder");
    root.add("weights", weights);
    return ModelDocument.toJson(root);
  }

  /** Parses model.json, refusing another algorithm's or an unknown format version, saying which. */
  static EfficientAdMetadata fromJson(String json, String where) throws ModelFormatException {
    return ModelDocument.fromJson(json, where, ALGORITHM, "EfficientAD", FORMAT_VERSION, (root, version) -> {
      JsonObject backbone = root.getAsJsonObject("backbone");
      JsonObject n = root.getAsJsonObject("normalization");
      JsonObject t = root.getAsJsonObject("training");
      List<Checkpoint> checkpoints = new ArrayList<>();
      for (JsonElement e : t.getAsJsonArray("checkpoints")) {
        JsonObject o = e.getAsJsonObject();
        checkpoints.add(new Checkpoint(o.get("step").getAsInt(), o.get("seconds").getAsDouble(),
            o.get("loss").getAsDouble(), o.get("validationImageAuroc").getAsDouble(),
            o.get("validationPixelAuroc").getAsDouble()));
      }
      return new EfficientAdMetadata(version, text(root, "name"), Instant.parse(text(root, "createdAt")),
          text(backbone, "name"), text(backbone, "weightsSha256"),
          EfficientAdParameters.defaults().with(ModelDocument.parameters(root)),
          new TeacherNormalization(floats(n.getAsJsonArray("teacherMean")), floats(n.getAsJsonArray("teacherStd"))),
          new MapNormalization(n.get("studentTeacherLow").getAsDouble(), n.get("studentTeacherHigh").getAsDouble(),
              n.get("studentAutoencoderLow").getAsDouble(), n.get("studentAutoencoderHigh").getAsDouble()),
          ModelDocument.calibration(root), ModelDocument.holdoutScores(root),
          new TrainingSummary(t.get("images").getAsInt(), ModelDocument.strings(t.getAsJsonArray("skipped")),
              text(t, "source"), t.get("steps").getAsInt(), t.get("bestStep").getAsInt(),
              t.get("featureSeconds").getAsDouble(), t.get("seconds").getAsDouble(), checkpoints),
          text(root.getAsJsonObject("weights"), "sha256"));
    });
  }

  /** Floats as JSON numbers: a float widened to a double prints and parses back to the same float. */
  private static JsonArray floats(float[] values) {
    JsonArray array = new JsonArray();
    for (float v : values) {
      array.add((double) v);
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
}
