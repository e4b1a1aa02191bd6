package io.vigil.detector.simplenet.internal;

import io.vigil.api.detector.TrainingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SimpleNet's hyper-parameters. The network, loss and learning rates follow the paper and its
 * official code (margin 0.5, adaptor AdamW 1e-4, discriminator Adam 2e-4 with weight decay 1e-5,
 * 1024 hidden units, sigma 4 smoothing). What depends on the backbone's features is set by rule
 * from the training features, not by a number tuned for WideResNet-50: the embedding is
 * standardised per dimension and the noise is a fraction of its spread. The embedding, the noise
 * fraction and the training regime were chosen on the validation split (held-out good images
 * with synthetic defects), see README "SimpleNet on magnetic_tile".
 *
 * @param levelDimension     each tap's 3x3 neighbourhood pooled to this many values; 0 keeps
 *     every channel (a 3x3 average)
 * @param embeddingDimension the taps' concatenation pooled to this many values; 0 keeps all
 * @param noiseStd           the noise's standard deviation; 0: {@code noiseFraction} of the
 *     embedding's mean per-dimension standard deviation, measured on the training patches
 * @param standardize        1: the embedding is standardised per dimension (training patches'
 *     mean and standard deviation, stored with the model); 0: raw
 * @param epochs             at most this many passes over the training patches
 * @param batchSize          images whose patches make one training step (and inference batch)
 * @param patchesPerImage    patches sampled from each of those images per step; 0: all
 * @param trainingSeconds    time budget of the training loop (validations included); 0: none
 * @param validationEvery    steps between validations (best validated network is kept)
 * @param patience           validations without improvement before training stops; 0: never
 * @param diagnosticPatches  training patches in the nearest-neighbour ceiling printed after
 *     feature extraction; 0: none
 */
record SimpleNetParameters(
    String backbone,
    List<String> taps,
    int inputSize,
    int levelDimension,
    int embeddingDimension,
    int discriminatorHidden,
    double noiseStd,
    double noiseFraction,
    int standardize,
    double margin,
    double adaptorLearningRate,
    double adaptorWeightDecay,
    double discriminatorLearningRate,
    double discriminatorWeightDecay,
    int epochs,
    int batchSize,
    int patchesPerImage,
    double trainingSeconds,
    int validationEvery,
    int patience,
    int diagnosticPatches,
    double calibrationShare,
    double thresholdQuantile,
    double smoothingSigma,
    long seed) {

  /**
   * Block outputs at stride 8 and 16 (32 + 96 channels), every channel kept: on the validation
   * split their nearest-neighbour ceiling (image AUROC 0.993) beat the expansion taps' (768
   * dimensions, 0.954), and at a sixth of the dimensions a training step costs far less.
   */
  static final List<String> DEFAULT_TAPS = List.of("block_5_output", "block_12_output");
  static final int DEFAULT_EPOCHS = 20;
  /** Images per step: the reference's 8; 2 made noisy batch statistics and gradients. */
  static final int DEFAULT_BATCH = 8;

  /**
   * Patches per image and step: 64 (512 rows per step) beat 196 on the validation split within
   * the same time budget (best validation image / pixel AUROC 0.984 / 0.977 after 250 of 266
   * steps, against 0.971 / 0.980 after 75 of 106): on a CPU more, smaller steps win.
   */
  static final int DEFAULT_PATCHES_PER_IMAGE = 64;

  static SimpleNetParameters defaults() {
    return new SimpleNetParameters("mobilenet_v2", DEFAULT_TAPS, 224, 0, 0, 1024,
        0, 0.5, 1, 0.5, 1e-4, 1e-2, 2e-4, 1e-5,
        DEFAULT_EPOCHS, DEFAULT_BATCH, DEFAULT_PATCHES_PER_IMAGE, 120, 25, 6, 0,
        0.1, 0.99, 4.0, 0);
  }

  boolean standardized() {
    return standardize != 0;
  }

  /** The names used in configuration, on the command line and in the model's metadata. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("backbone", backbone);
    map.put("taps", String.join(",", taps));
    map.put("input.size", inputSize);
    map.put("level.dimension", levelDimension);
    map.put("embedding.dimension", embeddingDimension);
    map.put("discriminator.hidden", discriminatorHidden);
    map.put("noise.std", noiseStd);
    map.put("noise.fraction", noiseFraction);
    map.put("standardize", standardize);
    map.put("margin", margin);
    map.put("adaptor.lr", adaptorLearningRate);
    map.put("adaptor.weight.decay", adaptorWeightDecay);
    map.put("discriminator.lr", discriminatorLearningRate);
    map.put("discriminator.weight.decay", discriminatorWeightDecay);
    map.put("epochs", epochs);
    map.put("batch.size", batchSize);
    map.put("patches.per.image", patchesPerImage);
    map.put("training.seconds", trainingSeconds);
    map.put("validation.every", validationEvery);
    map.put("patience", patience);
    map.put("diagnostic.patches", diagnosticPatches);
    map.put("calibration.share", calibrationShare);
    map.put("threshold.quantile", thresholdQuantile);
    map.put("smoothing.sigma", smoothingSigma);
    map.put("seed", seed);
    return map;
  }

  /** These defaults with {@code overrides} applied; unknown names and bad values are refused. */
  SimpleNetParameters with(Map<String, ?> overrides) throws TrainingException {
    Map<String, Object> merged = toMap();
    for (Map.Entry<String, ?> entry : overrides.entrySet()) {
      if (!merged.containsKey(entry.getKey())) {
        throw new TrainingException("unknown SimpleNet parameter '" + entry.getKey() + "'; known: " + merged.keySet());
      }
      merged.put(entry.getKey(), entry.getValue());
    }
    try {
      SimpleNetParameters p = new SimpleNetParameters(
          string(merged, "backbone"),
          new ArrayList<>(Arrays.asList(string(merged, "taps").split("\\s*,\\s*"))),
          integer(merged, "input.size"),
          integer(merged, "level.dimension"),
          integer(merged, "embedding.dimension"),
          integer(merged, "discriminator.hidden"),
          number(merged, "noise.std"),
          number(merged, "noise.fraction"),
          integer(merged, "standardize"),
          number(merged, "margin"),
          number(merged, "adaptor.lr"),
          number(merged, "adaptor.weight.decay"),
          number(merged, "discriminator.lr"),
          number(merged, "discriminator.weight.decay"),
          integer(merged, "epochs"),
          integer(merged, "batch.size"),
          integer(merged, "patches.per.image"),
          number(merged, "training.seconds"),
          integer(merged, "validation.every"),
          integer(merged, "patience"),
          integer(merged, "diagnostic.patches"),
          number(merged, "calibration.share"),
          number(merged, "threshold.quantile"),
          number(merged, "smoothing.sigma"),
          (long) number(merged, "seed"));
      p.validate();
      return p;
    } catch (IllegalArgumentException e) {
      throw new TrainingException("bad SimpleNet parameter: " + e.getMessage(), e);
    }
  }

  private void validate() {
    require(inputSize >= 32 && inputSize % 16 == 0, "input.size must be a multiple of 16, at least 32: " + inputSize);
    require(!taps.isEmpty(), "taps must name at least one backbone layer");
    require(levelDimension >= 0 && embeddingDimension >= 0 && discriminatorHidden > 0,
        "dimensions must be positive (0: keep every channel)");
    require(noiseStd >= 0, "noise.std must not be negative (0: noise.fraction of the features' spread)");
    require(noiseStd > 0 || noiseFraction > 0, "noise.fraction must be positive when noise.std is 0");
    require(standardize == 0 || standardize == 1, "standardize must be 0 or 1");
    require(epochs >= 1, "epochs must be at least 1: " + epochs);
    require(batchSize >= 1, "batch.size must be at least 1");
    require(patchesPerImage >= 0, "patches.per.image must not be negative (0: all)");
    require(trainingSeconds >= 0, "training.seconds must not be negative (0: no time budget)");
    require(validationEvery >= 1, "validation.every must be at least 1");
    require(patience >= 0, "patience must not be negative (0: never stop early)");
    require(diagnosticPatches >= 0, "diagnostic.patches must not be negative (0: no diagnostic)");
    require(calibrationShare > 0 && calibrationShare < 0.5, "calibration.share must be in (0, 0.5): " + calibrationShare);
    require(thresholdQuantile > 0.5 && thresholdQuantile <= 1, "threshold.quantile must be in (0.5, 1]");
    require(smoothingSigma >= 0, "smoothing.sigma must not be negative");
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }

  private static String string(Map<String, Object> map, String key) {
    return String.valueOf(map.get(key)).trim();
  }

  private static int integer(Map<String, Object> map, String key) {
    Object raw = map.get(key);
    if ("true".equals(String.valueOf(raw).trim())) {
      return 1;
    }
    if ("false".equals(String.valueOf(raw).trim())) {
      return 0;
    }
    double value = number(map, key);
    if (value != Math.rint(value)) {
      throw new IllegalArgumentException(key + " must be a whole number: " + map.get(key));
    }
    return (int) value;
  }

  private static double number(Map<String, Object> map, String key) {
    Object value = map.get(key);
    if (value instanceof Number number) {
      return number.doubleValue();
    }
    try {
      return Double.parseDouble(String.valueOf(value).trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(key + " must be a number: " + value);
    }
  }
}
