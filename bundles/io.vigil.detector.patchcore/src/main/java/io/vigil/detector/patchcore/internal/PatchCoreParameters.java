package io.vigil.detector.patchcore.internal;

import static io.vigil.detector.common.settings.Settings.bool;
import static io.vigil.detector.common.settings.Settings.integer;
import static io.vigil.detector.common.settings.Settings.list;
import static io.vigil.detector.common.settings.Settings.number;
import static io.vigil.detector.common.settings.Settings.require;
import static io.vigil.detector.common.settings.Settings.string;

import io.vigil.api.detector.TrainingException;
import io.vigil.detector.common.settings.Settings;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PatchCore's settings. The method's own (Roth et al.): 3x3 neighbourhood aggregation, greedy
 * coreset on a random projection, nearest-neighbour distance, optional re-weighting with 9
 * neighbours (anomalib's default). The rest were chosen on the shared validation split (held-out
 * good images plus synthetic defects; README, "PatchCore"). While its defects were all small and
 * clear every setting scored alike there (image AUROC 0.9995 to 0.9998), so the cheapest to fit
 * and to score won: MobileNetV2's block outputs at stride 8 and 16 (128 values per patch, against
 * 768 for the expansion taps). The bank: a greedy k-center keeps 10% of each image's patches, and
 * the greedy over all images' kept patches keeps 10% of those, 1% of all patches (the share of the
 * paper's own results). With large faint defects in the split too, the map smoothing is sigma 16
 * px (the paper's 4 ranked last of 4 to 20 over five draws of the defects), and the image score is
 * the maximum of the patch scores smoothed at sigma 4 (above the paper's raw patch maximum in every
 * draw); a 2% bank validated better but halves the speed.
 *
 * @param levelDimension      each tap's 3x3 neighbourhood pooled to this many values; 0 keeps
 *     every channel of every tap (a plain 3x3 average)
 * @param embeddingDimension  the concatenated taps pooled to this many values; 0 keeps them all
 * @param candidatePatches    0: the two-stage coreset ({@link CandidatePatches}); positive: the
 *     single-stage one of the first version instead, over this many patches drawn at random from
 *     all patches (which are all held in memory first)
 * @param candidateShare      share of each image's patches its own greedy k-center keeps as
 *     candidates (1: all of them, then one greedy over all patches)
 * @param coresetShare        share of the candidates kept in the bank (when coresetSize is 0)
 * @param coresetSize         a fixed bank size instead of the share (0: use the share)
 * @param projectionDimension the coreset's random projection (0 or at least the feature
 *     dimension: the features themselves)
 * @param searchDimension     the nearest-entry search runs on this many principal components of
 *     the features (fitted on the first stage's kept patches; bank and queries projected); 0, or
 *     at least the features' own number of values, searches the features themselves
 * @param reweighting         re-weight the image score by the nearest entry's neighbourhood
 * @param reweightingNeighbours neighbourhood size of the re-weighting, the entry itself included
 * @param bankPrecision       storage of the bank file: float32, or float16 (half the size)
 * @param imageScore          "patch-max": the largest patch distance, as the paper; "map-max":
 *     the largest value of the smoothed map at the image's size
 * @param imageSigma          with map-max, the smoothing (px at the input size) of the map the
 *     maximum is taken from, at the input size; negative: the anomaly map itself (smoothing.sigma,
 *     at the image's size). The decision and the picture may want different size priors.
 */
record PatchCoreParameters(
    String backbone,
    List<String> taps,
    int inputSize,
    int levelDimension,
    int embeddingDimension,
    int candidatePatches,
    double candidateShare,
    double coresetShare,
    int coresetSize,
    int projectionDimension,
    int searchDimension,
    boolean reweighting,
    int reweightingNeighbours,
    String bankPrecision,
    String imageScore,
    double imageSigma,
    int batchSize,
    double calibrationShare,
    double thresholdQuantile,
    double smoothingSigma,
    long seed) {

  /** Names other detectors' tools pass (the demo, the training view) that mean nothing to PatchCore. */
  static final Set<String> IGNORED = Set.of("epochs");
  static final String PATCH_MAX = "patch-max";
  static final String MAP_MAX = "map-max";

  static PatchCoreParameters defaults() {
    return new PatchCoreParameters("mobilenet_v2", List.of("block_5_output", "block_12_output"), 224, 0, 0,
        0, 0.1, 0.1, 0, 64, 64, false, 9, "float32", MAP_MAX, 4, 8, 0.1, 0.99, 16.0, 0);
  }

  /**
   * The settings of a fit: the defaults with {@code settings} applied, where the two smoothings,
   * when not set, scale with {@code input.size}. They were chosen at 224 px on defects sized as a
   * share of the image, and a part imaged at 128 px shows the same defect at 128/224 of the pixels;
   * 16 px at 128 would spread a pinhole over an eighth of the picture. Values set explicitly, and
   * those a saved model stores, are pixels at the input size as they are.
   */
  static PatchCoreParameters forFit(Map<String, ?> settings) throws TrainingException {
    PatchCoreParameters defaults = defaults();
    PatchCoreParameters p = defaults.with(settings);
    if (p.inputSize() == defaults.inputSize()) {
      return p;
    }
    double scale = (double) p.inputSize() / defaults.inputSize();
    Map<String, Object> scaled = new LinkedHashMap<>(settings);
    scaled.putIfAbsent("smoothing.sigma", defaults.smoothingSigma() * scale);
    scaled.putIfAbsent("image.sigma", defaults.imageSigma() * scale);
    return defaults.with(scaled);
  }

  /**
   * Whether the search runs on principal components: only where they are fewer than the features'
   * values (all of them would only rotate the features, leaving every distance as it is).
   */
  boolean projectsSearch(int featureDimension) {
    return searchDimension > 0 && searchDimension < featureDimension;
  }

  /** The names used in configuration, on the command line and in the model's metadata. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("backbone", backbone);
    map.put("taps", String.join(",", taps));
    map.put("input.size", inputSize);
    map.put("level.dimension", levelDimension);
    map.put("embedding.dimension", embeddingDimension);
    map.put("candidate.patches", candidatePatches);
    map.put("candidate.share", candidateShare);
    map.put("coreset.share", coresetShare);
    map.put("coreset.size", coresetSize);
    map.put("projection.dimension", projectionDimension);
    map.put("search.dimension", searchDimension);
    map.put("reweighting", reweighting);
    map.put("reweighting.neighbours", reweightingNeighbours);
    map.put("bank.precision", bankPrecision);
    map.put("image.score", imageScore);
    map.put("image.sigma", imageSigma);
    map.put("batch.size", batchSize);
    map.put("calibration.share", calibrationShare);
    map.put("threshold.quantile", thresholdQuantile);
    map.put("smoothing.sigma", smoothingSigma);
    map.put("seed", seed);
    return map;
  }

  /** These settings with {@code overrides} applied; unknown names and bad values are refused. */
  PatchCoreParameters with(Map<String, ?> overrides) throws TrainingException {
    Map<String, Object> merged = Settings.merge(toMap(), overrides, IGNORED, "PatchCore");
    try {
      PatchCoreParameters p = new PatchCoreParameters(
          string(merged, "backbone"),
          list(merged, "taps"),
          integer(merged, "input.size"),
          integer(merged, "level.dimension"),
          integer(merged, "embedding.dimension"),
          integer(merged, "candidate.patches"),
          number(merged, "candidate.share"),
          number(merged, "coreset.share"),
          integer(merged, "coreset.size"),
          integer(merged, "projection.dimension"),
          integer(merged, "search.dimension"),
          bool(merged, "reweighting"),
          integer(merged, "reweighting.neighbours"),
          MemoryBank.Precision.of(string(merged, "bank.precision")).toString(),
          string(merged, "image.score"),
          number(merged, "image.sigma"),
          integer(merged, "batch.size"),
          number(merged, "calibration.share"),
          number(merged, "threshold.quantile"),
          number(merged, "smoothing.sigma"),
          (long) number(merged, "seed"));
      p.validate();
      return p;
    } catch (IllegalArgumentException e) {
      throw new TrainingException("bad PatchCore parameter: " + e.getMessage(), e);
    }
  }

  MemoryBank.Precision precision() {
    return MemoryBank.Precision.of(bankPrecision);
  }

  /** The bank size for {@code candidates} candidate patches. */
  int bankSize(int candidates) {
    int size = coresetSize > 0 ? coresetSize : (int) Math.ceil(coresetShare * candidates);
    return Math.max(1, Math.min(candidates, size));
  }

  private void validate() {
    require(inputSize >= 32 && inputSize % 16 == 0, "input.size must be a multiple of 16, at least 32: " + inputSize);
    require(!taps.isEmpty() && taps.stream().noneMatch(String::isEmpty), "taps must name at least one backbone layer");
    require(levelDimension >= 0 && embeddingDimension >= 0, "dimensions must not be negative");
    require(candidatePatches >= 0, "candidate.patches must not be negative (0: the two-stage coreset)");
    require(candidateShare > 0 && candidateShare <= 1, "candidate.share must be in (0, 1]: " + candidateShare);
    require(coresetShare > 0 && coresetShare <= 1, "coreset.share must be in (0, 1]: " + coresetShare);
    require(coresetSize >= 0, "coreset.size must not be negative (0: use coreset.share)");
    require(projectionDimension >= 0, "projection.dimension must not be negative");
    require(searchDimension >= 0, "search.dimension must not be negative (0: search the features themselves)");
    require(reweightingNeighbours >= 1, "reweighting.neighbours must be at least 1");
    require(PATCH_MAX.equals(imageScore) || MAP_MAX.equals(imageScore),
        "image.score must be " + PATCH_MAX + " or " + MAP_MAX + ": " + imageScore);
    require(batchSize >= 1, "batch.size must be at least 1");
    require(calibrationShare > 0 && calibrationShare < 0.5, "calibration.share must be in (0, 0.5): " + calibrationShare);
    require(thresholdQuantile > 0.5 && thresholdQuantile <= 1, "threshold.quantile must be in (0.5, 1]");
    require(smoothingSigma >= 0, "smoothing.sigma must not be negative");
  }
}
