package io.vigil.detector.efficientad.internal;

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
 * EfficientAD's settings. The method's own (Batzner et al.): hard feature loss quantile 0.999,
 * map normalisation quantiles 0.9 and 0.995 on held-out good images, Adam with weight decay 1e-5
 * and the learning rate divided by 10 after 95% of the steps. What the paper sizes for a GPU
 * (70,000 steps at batch 1, 384 teacher channels, PDN widths 128/256) is a setting here, with
 * defaults that fit a 2-core CPU (README, "EfficientAD").
 *
 * @param teacherTaps     the backbone taps whose patch features are the frozen teacher (finest stride 4 or 8),
 *     or the distilled teacher's target
 * @param teacher         "backbone": the taps' features are the teacher; "distilled": a PDN trained
 *     first to reproduce them on the training images is the teacher (the paper's way; scoring then
 *     runs no backbone)
 * @param teacherChannels the distilled teacher PDN's width
 * @param distillationSteps steps of the distilled teacher's training (before the student's)
 * @param studentChannels the PDN student's width (its first convolution has half)
 * @param studentContext  extra 3x3 convolutions in the student before its last, each widening its
 *     receptive field by 2 x the teacher's stride (0: the paper's PDN)
 * @param autoencoderChannels the autoencoder's base width (encoder c, c, 2c, 2c, 2c, bottleneck 2c)
 * @param steps           optimisation steps of student and autoencoder together
 * @param batchSize       training images per step (and inference batch)
 * @param hardQuantile    only squared student-teacher errors at or above this quantile count
 * @param mapQuantileLow  q_a: the map value that becomes 0 after normalisation
 * @param mapQuantileHigh q_b: the map value that becomes 0.1 after normalisation
 * @param validations     validations during training (after each 1/validations of the steps);
 *     the best validated networks are kept
 * @param trainingSeconds time budget of the training loop, validations included; 0: none
 * @param penaltyImages   a folder of generic images without the product (the paper's ImageNet): each
 *     step the student's teacher half is also pushed towards 0 (the teacher's mean) on random crops
 *     of them, so it does not learn to imitate the teacher on anything but good parts; empty: no penalty
 * @param penaltyWeight   the penalty's weight in the student loss (the paper's: 1)
 * @param mapParts        which maps the anomaly map sums: "both" (the paper's), "student-teacher" or
 *     "student-autoencoder" alone (README, "EfficientAD on magnetic_tile")
 * @param snapshots       also save the networks of every validation as a complete model in
 *     {@code MODEL.steps/step-NNNNN} (for a learning curve measured afterwards); their saving does
 *     not count against the time budget
 */
record EfficientAdParameters(
    String backbone,
    List<String> teacherTaps,
    String teacher,
    int teacherChannels,
    int distillationSteps,
    int inputSize,
    int studentChannels,
    int studentContext,
    int autoencoderChannels,
    int steps,
    int batchSize,
    double learningRate,
    double weightDecay,
    double hardQuantile,
    double mapQuantileLow,
    double mapQuantileHigh,
    int validations,
    double trainingSeconds,
    double calibrationShare,
    double thresholdQuantile,
    double smoothingSigma,
    long seed,
    boolean snapshots,
    String penaltyImages,
    double penaltyWeight,
    String mapParts) {

  /** Names other detectors' tools pass (the demo, the training view) that mean nothing here. */
  static final Set<String> IGNORED = Set.of("epochs");
  static final String BACKBONE_TEACHER = "backbone";
  static final String DISTILLED_TEACHER = "distilled";

  static EfficientAdParameters defaults() {
    return new EfficientAdParameters("mobilenet_v2", List.of("block_5_output", "block_12_output"), BACKBONE_TEACHER, 32, 400, 224, 32, 0, 32, 800, 8, 1e-3, 1e-5,
        0.999, 0.9, 0.995, 10, 600, 0.1, 0.99, 4.0, 0, false, "", 1.0, MapNormalization.BOTH);
  }

  /** The names used in configuration, on the command line and in the model's metadata. */
  Map<String, Object> toMap() {
    Map<String, Object> map = new LinkedHashMap<>();
    map.put("backbone", backbone);
    map.put("teacher.taps", String.join(",", teacherTaps));
    map.put("teacher", teacher);
    map.put("teacher.channels", teacherChannels);
    map.put("distillation.steps", distillationSteps);
    map.put("input.size", inputSize);
    map.put("student.channels", studentChannels);
    map.put("student.context", studentContext);
    map.put("autoencoder.channels", autoencoderChannels);
    map.put("steps", steps);
    map.put("batch.size", batchSize);
    map.put("learning.rate", learningRate);
    map.put("weight.decay", weightDecay);
    map.put("hard.quantile", hardQuantile);
    map.put("map.quantile.low", mapQuantileLow);
    map.put("map.quantile.high", mapQuantileHigh);
    map.put("validations", validations);
    map.put("training.seconds", trainingSeconds);
    map.put("calibration.share", calibrationShare);
    map.put("threshold.quantile", thresholdQuantile);
    map.put("smoothing.sigma", smoothingSigma);
    map.put("seed", seed);
    map.put("snapshots", snapshots);
    map.put("penalty.images", penaltyImages);
    map.put("penalty.weight", penaltyWeight);
    map.put("map.parts", mapParts);
    return map;
  }

  /** These settings with {@code overrides} applied; unknown names and bad values are refused. */
  EfficientAdParameters with(Map<String, ?> overrides) throws TrainingException {
    Map<String, Object> merged = Settings.merge(toMap(), overrides, IGNORED, "EfficientAD");
    try {
      EfficientAdParameters p = new EfficientAdParameters(
          string(merged, "backbone"),
          list(merged, "teacher.taps"),
          string(merged, "teacher"),
          integer(merged, "teacher.channels"),
          integer(merged, "distillation.steps"),
          integer(merged, "input.size"),
          integer(merged, "student.channels"),
          integer(merged, "student.context"),
          integer(merged, "autoencoder.channels"),
          integer(merged, "steps"),
          integer(merged, "batch.size"),
          number(merged, "learning.rate"),
          number(merged, "weight.decay"),
          number(merged, "hard.quantile"),
          number(merged, "map.quantile.low"),
          number(merged, "map.quantile.high"),
          integer(merged, "validations"),
          number(merged, "training.seconds"),
          number(merged, "calibration.share"),
          number(merged, "threshold.quantile"),
          number(merged, "smoothing.sigma"),
          (long) number(merged, "seed"),
          bool(merged, "snapshots"),
          string(merged, "penalty.images"),
          number(merged, "penalty.weight"),
          string(merged, "map.parts"));
      p.validate();
      return p;
    } catch (IllegalArgumentException e) {
      throw new TrainingException("bad EfficientAD parameter: " + e.getMessage(), e);
    }
  }

  boolean distilled() {
    return teacher.equals(DISTILLED_TEACHER);
  }

  /** The teacher PDN's width, 0 without one. */
  int teacherNetworkWidth() {
    return distilled() ? teacherChannels : 0;
  }

  private void validate() {
    // The autoencoder halves the input five times down to its bottleneck.
    require(inputSize >= 64 && inputSize % 32 == 0, "input.size must be a multiple of 32, at least 64: " + inputSize);
    require(!teacherTaps.isEmpty() && teacherTaps.stream().noneMatch(String::isEmpty),
        "teacher.taps must name at least one backbone layer");
    require(teacher.equals(BACKBONE_TEACHER) || teacher.equals(DISTILLED_TEACHER),
        "teacher must be " + BACKBONE_TEACHER + " or " + DISTILLED_TEACHER + ", not '" + teacher + "'");
    require(teacherChannels >= 2 && teacherChannels % 2 == 0, "teacher.channels must be even, at least 2");
    require(distillationSteps >= 1, "distillation.steps must be at least 1");
    require(studentChannels >= 2 && studentChannels % 2 == 0, "student.channels must be even, at least 2");
    require(studentContext >= 0, "student.context must not be negative");
    require(autoencoderChannels >= 1, "autoencoder.channels must be positive");
    require(steps >= 1, "steps must be at least 1: " + steps);
    require(batchSize >= 1, "batch.size must be at least 1");
    require(learningRate > 0, "learning.rate must be positive");
    require(weightDecay >= 0, "weight.decay must not be negative");
    require(hardQuantile >= 0 && hardQuantile < 1, "hard.quantile must be in [0, 1)");
    require(mapQuantileLow >= 0 && mapQuantileLow < mapQuantileHigh && mapQuantileHigh <= 1,
        "map quantiles must satisfy 0 <= map.quantile.low < map.quantile.high <= 1");
    require(validations >= 1, "validations must be at least 1");
    require(trainingSeconds >= 0, "training.seconds must not be negative (0: no time budget)");
    require(calibrationShare > 0 && calibrationShare < 0.5, "calibration.share must be in (0, 0.5): " + calibrationShare);
    require(thresholdQuantile > 0.5 && thresholdQuantile <= 1, "threshold.quantile must be in (0.5, 1]");
    require(smoothingSigma >= 0, "smoothing.sigma must not be negative");
    require(penaltyWeight >= 0, "penalty.weight must not be negative");
    require(List.of(MapNormalization.BOTH, MapNormalization.STUDENT_TEACHER, MapNormalization.STUDENT_AUTOENCODER)
        .contains(mapParts), "map.parts must be " + MapNormalization.BOTH + ", " + MapNormalization.STUDENT_TEACHER
        + " or " + MapNormalization.STUDENT_AUTOENCODER + ", not '" + mapParts + "'");
  }

  /** Whether the student loss has the penalty on generic images. */
  boolean penalised() {
    return !penaltyImages.isEmpty() && penaltyWeight > 0;
  }
}
