package io.vigil.detector.patchcore.internal;

import static io.vigil.detector.common.model.ModelDocument.text;

import com.google.gson.JsonObject;
import io.vigil.api.detector.Calibration;
import io.vigil.detector.common.model.ModelDocument;
import io.vigil.detector.common.model.ModelFormatException;
import java.time.Instant;
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
    String bankSha256,
    String projectionSha256) {

  static final String FILE = "model.json";
  static final String BANK_FILE = "bank.bin";
  /** The search's principal components, with {@code search.dimension} > 0 only. */
  static final String PROJECTION_FILE = "projection.bin";
  static final String ALGORITHM = "patchcore";
  static final int FORMAT_VERSION = 1;

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
   * @param searchVariance   share of the candidates' variance the search's projection keeps (NaN:
   *     no projection)
   */
  record FitSummary(int images, List<String> skipped, String source, long patches, int candidates, int bankSize,
      int featureDimension, double featureSeconds, double coresetSeconds, double seconds, double searchVariance) {}

  String toJson() {
    JsonObject root = ModelDocument.header(ALGORITHM, formatVersion, name, createdAt);
    root.add("backbone", ModelDocument.backbone(backboneName, backboneSha256, parameters.taps()));
    root.add("input", ModelDocument.input(parameters.inputSize()));
    root.add("parameters", ModelDocument.parameters(parameters.toMap()));
    root.add("calibration", ModelDocument.calibration(calibration, parameters.thresholdQuantile(), holdoutScores));
    JsonObject summary = new JsonObject();
    summary.addProperty("images", fit.images());
    summary.add("skipped", ModelDocument.strings(fit.skipped()));
    summary.addProperty("source", fit.source());
    summary.addProperty("patches", fit.patches());
    summary.addProperty("candidates", fit.candidates());
    summary.addProperty("bankSize", fit.bankSize());
    summary.addProperty("featureDimension", fit.featureDimension());
    summary.addProperty("featureSeconds", fit.featureSeconds());
    summary.addProperty("coresetSeconds", fit.coresetSeconds());
    summary.addProperty("seconds", fit.seconds());
    if (!Double.isNaN(fit.searchVariance())) {
      summary.addProperty("searchVariance", fit.searchVariance());
    }
    root.add("training", summary);
    JsonObject weights = new JsonObject();
    weights.addProperty("file", BANK_FILE);
    weights.addProperty("sha256", bankSha256);
    int searched = parameters.projectsSearch(fit.featureDimension()) ? parameters.searchDimension()
        : fit.featureDimension();
    weights.addProperty("content", "memory bank: " + fit.bankSize() + " x " + searched + " "
        + parameters.bankPrecision());
    if (projectionSha256 != null) {
      JsonObject projection = new JsonObject();
      projection.addProperty("file", PROJECTION_FILE);
      projection.addProperty("sha256", projectionSha256);
      projection.addProperty("content", "principal components: " + searched + " x " + fit.featureDimension()
          + " float32");
      weights.add("projection", projection);
    }
    root.add("weights", weights);
    return ModelDocument.toJson(root);
  }

  /** Parses model.json, refusing another algorithm's or an unknown format version, saying which. */
  static PatchCoreMetadata fromJson(String json, String where) throws ModelFormatException {
    return ModelDocument.fromJson(json, where, ALGORITHM, "PatchCore", FORMAT_VERSION, (root, version) -> {
      JsonObject backbone = root.getAsJsonObject("backbone");
      JsonObject fit = root.getAsJsonObject("training");
      JsonObject weights = root.getAsJsonObject("weights");
      Map<String, Object> stored = new LinkedHashMap<>(ModelDocument.parameters(root));
      // Models from before the search projection searched the features themselves, whatever the default now.
      stored.putIfAbsent("search.dimension", 0);
      stored.putIfAbsent("image.sigma", -1); // before it existed: the map's own maximum
      PatchCoreParameters parameters = PatchCoreParameters.defaults().with(stored);
      String projectionSha256 = weights.has("projection") ? text(weights.getAsJsonObject("projection"), "sha256") : null;
      if (parameters.projectsSearch(fit.get("featureDimension").getAsInt()) != (projectionSha256 != null)) {
        throw new IllegalArgumentException("search.dimension " + parameters.searchDimension() + " but "
            + (projectionSha256 == null ? "no" : "a") + " projection file in the weights");
      }
      return new PatchCoreMetadata(version, text(root, "name"), Instant.parse(text(root, "createdAt")),
          text(backbone, "name"), text(backbone, "weightsSha256"),
          parameters,
          ModelDocument.calibration(root), ModelDocument.holdoutScores(root),
          new FitSummary(fit.get("images").getAsInt(), ModelDocument.strings(fit.getAsJsonArray("skipped")),
              text(fit, "source"), fit.get("patches").getAsLong(), fit.get("candidates").getAsInt(),
              fit.get("bankSize").getAsInt(), fit.get("featureDimension").getAsInt(),
              fit.get("featureSeconds").getAsDouble(), fit.get("coresetSeconds").getAsDouble(),
              fit.get("seconds").getAsDouble(),
              fit.has("searchVariance") ? fit.get("searchVariance").getAsDouble() : Double.NaN),
          text(weights, "sha256"), projectionSha256);
    });
  }
}
