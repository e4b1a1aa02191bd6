package io.vigil.detector.simplenet.internal;

import io.vigil.api.detector.TrainingException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * SimpleNet's hyper-parameters. Defaults follow the paper and its official code where they carry
 * over (noise 0.015, margin 0.5, adaptor AdamW 1e-4, discriminator Adam 2e-4 with weight decay
 * 1e-5, 1024 hidden units, sigma 4 smoothing) and are sized for MobileNetV2 on a CPU elsewhere.
 */
record SimpleNetParameters(
    String backbone,
    List<String> taps,
    int inputSize,
    int levelDimension,
    int embeddingDimension,
    int discriminatorHidden,
    double noiseStd,
    double margin,
    double adaptorLearningRate,
    double adaptorWeightDecay,
    double discriminatorLearningRate,
    double discriminatorWeightDecay,
    int epochs,
    int batchSize,
    double calibrationShare,
    double thresholdQuantile,
    double smoothingSigma,
    long seed) {

  /**
   * Chosen from the measured learning curve on magnetic_tile (README, "SimpleNet on
   * magnetic_tile"): the best image AUROC of the epochs that fit the 10-minute training budget
   * of a 2-core station.
   */
  static final int DEFAULT_EPOCHS = 3;
  /** Images per step: 2 x 784 patches; more steps in the same time than the reference's 8. */
  static final int DEFAULT_BATCH = 2;

  static SimpleNetParameters defaults() {
    return new SimpleNetParameters("mobilenet_v2", List.of("block_6_expand", "block_13_expand"), 224, 576, 576, 1024,
        0.015, 0.5, 1e-4, 1e-2, 2e-4, 1e-5, DEFAULT_EPOCHS, DEFAULT_BATCH, 0.1, 0.99, 4.0, 0);
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
    map.put("margin", margin);
    map.put("adaptor.lr", adaptorLearningRate);
    map.put("adaptor.weight.decay", adaptorWeightDecay);
    map.put("discriminator.lr", discriminatorLearningRate);
    map.put("discriminator.weight.decay", discriminatorWeightDecay);
    map.put("epochs", epochs);
    map.put("batch.size", batchSize);
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
          number(merged, "margin"),
          number(merged, "adaptor.lr"),
          number(merged, "adaptor.weight.decay"),
          number(merged, "discriminator.lr"),
          number(merged, "discriminator.weight.decay"),
          integer(merged, "epochs"),
          integer(merged, "batch.size"),
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
    require(levelDimension > 0 && embeddingDimension > 0 && discriminatorHidden > 0, "dimensions must be positive");
    require(noiseStd > 0, "noise.std must be positive");
    require(epochs >= 1, "epochs must be at least 1: " + epochs);
    require(batchSize >= 1, "batch.size must be at least 1");
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
