package io.vigil.detector.efficientad.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Image;
import io.vigil.api.source.ImageSource;
import io.vigil.backbone.Backbone;
import io.vigil.detector.common.calibration.HeldOutCalibration;
import io.vigil.detector.common.calibration.HeldOutSplit;
import io.vigil.detector.common.model.ModelDirectories;
import io.vigil.detector.common.training.GoodImages;
import io.vigil.detector.common.training.TrainingReporter;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.common.validation.ValidationSet;
import io.vigil.detector.efficientad.internal.EfficientAdMetadata.Checkpoint;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains EfficientAD on good images. The teacher is frozen, so each training image's input and
 * standardised teacher features are prepared once. A share of the images is held out, untouched
 * by training: the maps' normalisation quantiles and the score calibration come from them, and
 * with a synthetic defect pasted into a copy of each they form the validation split, measured
 * after every tenth of the steps (the learning curve); the best validated networks are kept.
 * Phases reported: reading, features, training (with ETA), calibration.
 */
final class EfficientAdTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(EfficientAdTrainer.class);
  /** Validation pixel AUROC over every second row and column: a quarter of the pixels, same ranking. */
  private static final int VALIDATION_PIXEL_STRIDE = 2;
  /** The paper divides the learning rate by 10 after 95% of the steps. */
  private static final double DECAY_AT = 0.95;

  private final Engine engine;
  private final EfficientAdParameters parameters;
  private final TrainingReporter reporter;

  EfficientAdTrainer(Engine engine, EfficientAdParameters parameters, TrainingMonitor monitor) {
    this.engine = engine;
    this.parameters = parameters;
    this.reporter = new TrainingReporter(monitor);
  }

  /** Trains and saves the model; the detector returned owns {@code backbone} and {@code modelManager}. */
  EfficientAdDetector train(ImageSource source, Backbone backbone, NDManager modelManager, Path modelDirectory,
      String name) throws TrainingException, InterruptedException {
    boolean success = false;
    EfficientAdInference inference = null;
    try {
      ModelDirectories.checkTarget(modelDirectory);
      TeacherFeatures teacherFeatures;
      try {
        teacherFeatures = TeacherFeatures.of(backbone, parameters.teacherTaps(), parameters.inputSize());
      } catch (IllegalArgumentException e) {
        throw new TrainingException("bad teacher.taps: " + e.getMessage(), e);
      }
      List<String> skipped = new ArrayList<>();
      List<Image> images = GoodImages.read(source, "EfficientAD", reporter, skipped);
      Random random = new Random(parameters.seed());
      HeldOutSplit<Image> split;
      try {
        split = HeldOutSplit.of(images, parameters.calibrationShare(), random);
      } catch (IllegalArgumentException e) {
        throw new TrainingException(e.getMessage(), e);
      }
      ValidationSet validation = ValidationSet.of(split.heldOut(), parameters.inputSize(), new Random(parameters.seed() + 1));
      engine.setRandomSeed((int) parameters.seed());
      EfficientAdNetworks networks = new EfficientAdNetworks(parameters.inputSize(), teacherFeatures.channels(),
          teacherFeatures.stride(), parameters.studentChannels(), parameters.autoencoderChannels(),
          parameters.teacherNetworkWidth(), parameters.studentContext());
      networks.initialize(modelManager);

      Fit fit;
      TeacherNormalization teacher;
      try (NDManager trainingManager = modelManager.newSubManager()) {
        long featureStart = System.nanoTime();
        NDArray rgb = inputs(split.training(), trainingManager, "features");
        NDArray rawTeacher = teacherFeatures(teacherFeatures, rgb, trainingManager);
        TeacherNormalization backboneNormalization = TeacherNormalization.of(rawTeacher);
        NDArray targets = backboneNormalization.apply(rawTeacher);
        targets.attach(trainingManager);
        rawTeacher.close();
        if (networks.distilledTeacher()) {
          // The PDN learns the standardised backbone features, then stands in for them: its own
          // outputs, standardised again, are what student and autoencoder learn.
          distill(networks, rgb, targets, random, trainingManager);
          NDArray distilled = distilledOutputs(networks, rgb, trainingManager);
          targets.close();
          teacher = TeacherNormalization.of(distilled);
          targets = teacher.apply(distilled);
          targets.attach(trainingManager);
          distilled.close();
        } else {
          teacher = backboneNormalization;
        }
        NDArray validationRgb = inputs(validation.images(), trainingManager, "validation features");
        double featureSeconds = (System.nanoTime() - featureStart) / 1e9;
        inference = new EfficientAdInference(backbone, teacherFeatures, parameters, networks, teacher, modelManager);
        EfficientAdInference snapshotInference = inference;
        TeacherNormalization snapshotTeacher = teacher;
        Snapshots snapshots = !parameters.snapshots() ? Snapshots.NONE : (step, normalization, checkpoints) -> {
          // The networks of this step as a complete model, calibrated as the final one is.
          snapshotInference.setNormalization(normalization.counting(parameters.mapParts()));
          List<Double> scores = heldOutScores(snapshotInference, split.heldOut(), "snapshot calibration");
          EfficientAdMetadata.TrainingSummary summary = new EfficientAdMetadata.TrainingSummary(split.training().size(),
              skipped, source.name(), step, step, featureSeconds, reporter.elapsed().toNanos() / 1e9, checkpoints);
          Path target = snapshotDirectory(modelDirectory, step);
          Files.createDirectories(target.getParent());
          write(target, name + " step " + step, backbone, networks, snapshotTeacher, normalization, scores, summary);
        };
        PenaltyImages penalty = penaltyImages(trainingManager);
        fit = fit(networks, inference, rgb, targets, new Validator(validation, validationRgb, inference), random,
            featureSeconds, snapshots, penalty, trainingManager);
      }
      inference.setNormalization(fit.normalization().counting(parameters.mapParts()));

      List<Double> heldOutScores = heldOutScores(inference, split.heldOut(), "calibration");
      double seconds = reporter.elapsed().toNanos() / 1e9;
      EfficientAdMetadata.TrainingSummary summary = new EfficientAdMetadata.TrainingSummary(split.training().size(),
          skipped, source.name(), fit.steps(), fit.bestStep(), fit.featureSeconds(), seconds, fit.checkpoints());
      write(modelDirectory, name, backbone, networks, teacher, fit.normalization(), heldOutScores, summary);
      EfficientAdDetector detector = new EfficientAdDetector(name, EfficientAdModels.readMetadata(modelDirectory),
          modelDirectory, inference, networks);
      success = true;
      LOG.info("Trained EfficientAD '{}' on {} images in {} s: kept step {} of {}", name, split.training().size(),
          Math.round(seconds), fit.bestStep(), fit.steps());
      return detector;
    } catch (IOException e) {
      throw new TrainingException("cannot write the model to " + modelDirectory + ": " + e.getMessage(), e);
    } catch (ModelException e) {
      throw new TrainingException(e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof CancellationException) {
        throw e;
      }
      throw new TrainingException("training EfficientAD failed: " + e.getMessage(), e);
    } finally {
      if (!success) {
        if (inference != null) {
          inference.close();
        } else {
          modelManager.close();
          backbone.close();
        }
      }
    }
  }

  /** The penalty images of {@code penalty.images}, null without a penalty. */
  private PenaltyImages penaltyImages(NDManager manager) throws TrainingException {
    if (!parameters.penalised()) {
      return null;
    }
    try {
      return PenaltyImages.read(Path.of(parameters.penaltyImages()), parameters.inputSize(), manager);
    } catch (IOException | java.nio.file.InvalidPathException e) {
      throw new TrainingException("bad penalty.images: " + e.getMessage(), e);
    }
  }

  /** Where {@code snapshots} puts the model of {@code step}: beside the model, in MODEL.steps/step-NNNNN. */
  static Path snapshotDirectory(Path modelDirectory, int step) {
    return modelDirectory.resolveSibling(modelDirectory.getFileName() + ".steps")
        .resolve(String.format(Locale.ROOT, "step-%05d", step));
  }

  /** Saves the networks of one step, with a snapshot's normalisation and calibration. */
  @FunctionalInterface
  private interface Snapshots {
    Snapshots NONE = (step, normalization, checkpoints) -> {};

    void save(int step, MapNormalization normalization, List<Checkpoint> checkpoints)
        throws IOException, InterruptedException;
  }

  /** The held-out good images' scores (the maps' maxima) with the inference's current normalisation. */
  private List<Double> heldOutScores(EfficientAdInference inference, List<Image> heldOut, String phase)
      throws InterruptedException {
    reporter.progress(phase, 0, heldOut.size(), Double.NaN);
    List<Double> scores = new ArrayList<>();
    for (int start = 0; start < heldOut.size(); start += parameters.batchSize()) {
      reporter.checkCancelled();
      int end = Math.min(heldOut.size(), start + parameters.batchSize());
      for (AnomalyMap map : inference.anomalyMaps(heldOut.subList(start, end))) {
        scores.add((double) map.max());
      }
      reporter.progress(phase, end, heldOut.size(), Double.NaN);
    }
    return scores;
  }

  /** Writes a model directory (weights and model.json) in one step, calibrated on {@code heldOutScores}. */
  private void write(Path directory, String name, Backbone backbone, EfficientAdNetworks networks,
      TeacherNormalization teacher, MapNormalization normalization, List<Double> heldOutScores,
      EfficientAdMetadata.TrainingSummary summary) throws IOException {
    Calibration calibration = HeldOutCalibration.calibrate(heldOutScores, parameters.thresholdQuantile());
    ModelDirectories.writeAtomically(directory, partial -> {
      Path weights = partial.resolve(EfficientAdMetadata.WEIGHTS_FILE);
      try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(weights)))) {
        networks.save(out);
      }
      EfficientAdMetadata metadata = new EfficientAdMetadata(EfficientAdMetadata.FORMAT_VERSION, name, Instant.now(),
          backbone.name(), backbone.weightsSha256(), parameters, teacher, normalization, calibration,
          heldOutScores, summary, ModelDirectories.sha256(weights));
      Files.writeString(partial.resolve(EfficientAdMetadata.FILE), metadata.toJson(), StandardCharsets.UTF_8);
    });
  }

  /** Images resized to the model input, (N, 3, S, S), kept on {@code into}. */
  private NDArray inputs(List<Image> images, NDManager into, String phase) throws InterruptedException {
    NDList batches = new NDList();
    int batch = parameters.batchSize();
    for (int start = 0; start < images.size(); start += batch) {
      reporter.checkCancelled();
      // The conversion's intermediates go with the batch's scope; only the result is kept.
      try (NDManager scope = into.newSubManager()) {
        NDArray rgb = io.vigil.backbone.ImageTensors.batch(scope, images.subList(start, Math.min(images.size(),
            start + batch)), parameters.inputSize(), parameters.inputSize());
        rgb.attach(into);
        batches.add(rgb);
      }
      reporter.progress(phase, Math.min(images.size(), start + batch), images.size(), Double.NaN);
    }
    if (batches.size() == 1) {
      return batches.get(0);
    }
    NDArray all = NDArrays.concat(batches, 0);
    batches.close(); // the concatenation is a copy
    return all;
  }

  /**
   * Trains the teacher PDN to reproduce the standardised backbone features of the training images
   * (mean squared error, Adam at {@code learning.rate}), phase "distillation".
   */
  private void distill(EfficientAdNetworks networks, NDArray rgb, NDArray targets, Random random, NDManager manager)
      throws InterruptedException {
    int imageCount = (int) rgb.getShape().get(0);
    int perStep = Math.min(parameters.batchSize(), imageCount);
    int steps = parameters.distillationSteps();
    Optimizer optimizer = Optimizer.adam()
        .optLearningRateTracker(Tracker.fixed((float) parameters.learningRate()))
        .optWeightDecays((float) parameters.weightDecay())
        .build();
    long start = System.nanoTime();
    reporter.startTimedPhase("distillation");
    for (int step = 1; step <= steps; step++) {
      reporter.checkCancelled();
      long[] picked = new long[perStep];
      for (int i = 0; i < perStep; i++) {
        picked[i] = random.nextInt(imageCount);
      }
      double loss;
      try (NDManager scope = manager.newSubManager()) {
        NDArray index = scope.create(picked);
        NDArray x = rgb.get(index);
        x.attach(scope);
        NDArray t = targets.get(index);
        t.attach(scope);
        try (GradientCollector collector = engine.newGradientCollector()) {
          NDArray out = networks.teacher(new ParameterStore(scope, false), x, true);
          NDArray mse = t.sub(out).square().mean();
          collector.backward(mse);
          loss = mse.getFloat();
        }
        update(optimizer, networks.teacher, scope);
      }
      long spent = System.nanoTime() - start;
      reporter.progress("distillation", step, steps, loss,
          Duration.ofNanos((long) (spent / (double) step * (steps - step))));
      if (step == steps || step % Math.max(1, steps / 10) == 0) {
        LOG.info("EfficientAD teacher distillation step {}/{}: loss {}", step, steps,
            String.format(Locale.ROOT, "%.4f", loss));
      }
    }
  }

  /** The distilled teacher's raw outputs (N, C, g, g) of prepared inputs, on {@code into}. */
  private NDArray distilledOutputs(EfficientAdNetworks networks, NDArray rgb, NDManager into) throws InterruptedException {
    NDList batches = new NDList();
    long count = rgb.getShape().get(0);
    for (long start = 0; start < count; start += parameters.batchSize()) {
      reporter.checkCancelled();
      try (NDManager scope = into.newSubManager()) {
        NDArray batch = rgb.get(start + ":" + Math.min(count, start + parameters.batchSize()));
        batch.attach(scope);
        NDArray out = networks.teacher(new ParameterStore(scope, false), batch, false);
        out.attach(into);
        batches.add(out);
      }
    }
    if (batches.size() == 1) {
      return batches.get(0);
    }
    NDArray all = NDArrays.concat(batches, 0);
    batches.close();
    return all;
  }

  /** The teacher's raw features (N, C, g, g) of prepared inputs, on {@code into}. */
  private NDArray teacherFeatures(TeacherFeatures teacherFeatures, NDArray rgb, NDManager into) throws InterruptedException {
    NDList batches = new NDList();
    long count = rgb.getShape().get(0);
    for (long start = 0; start < count; start += parameters.batchSize()) {
      reporter.checkCancelled();
      try (NDManager scope = into.newSubManager()) {
        NDArray batch = rgb.get(start + ":" + Math.min(count, start + parameters.batchSize()));
        batch.attach(scope);
        NDArray features = teacherFeatures.raw(batch);
        features.attach(into);
        batches.add(features);
      }
      reporter.progress("teacher", (int) Math.min(count, start + parameters.batchSize()), (int) count, Double.NaN);
    }
    if (batches.size() == 1) {
      return batches.get(0);
    }
    NDArray all = NDArrays.concat(batches, 0);
    batches.close();
    return all;
  }

  /** What the training loop leaves: the best validated networks are already restored. */
  private record Fit(int steps, int bestStep, MapNormalization normalization, List<Checkpoint> checkpoints,
      double featureSeconds) {}

  /**
   * The training loop: each step takes {@code batch.size} images (in a shuffled cycle) and lowers
   * the sum of the three losses: the hard feature loss of the student's first half against the
   * teacher, the autoencoder's mean squared error against the teacher, and the mean squared error
   * of the student's second half against the autoencoder; with penalty images also the penalty of
   * the student's first half on as many random crops of them. Validated after every 1/validations of
   * the steps; the best networks are kept.
   */
  private Fit fit(EfficientAdNetworks networks, EfficientAdInference inference, NDArray rgb, NDArray targets,
      Validator validator, Random random, double featureSeconds, Snapshots snapshots, PenaltyImages penalty,
      NDManager manager) throws InterruptedException, IOException {
    int imageCount = (int) rgb.getShape().get(0);
    int perStep = Math.min(parameters.batchSize(), imageCount);
    int totalSteps = parameters.steps();
    int decayAt = (int) Math.ceil(DECAY_AT * totalSteps);
    float learningRate = (float) parameters.learningRate();
    Tracker rate = update -> update <= decayAt ? learningRate : learningRate / 10;
    Optimizer optimizer = Optimizer.adam()
        .optLearningRateTracker(rate)
        .optWeightDecays((float) parameters.weightDecay())
        .build();
    int validateEvery = Math.max(1, (int) Math.ceil(totalSteps / (double) parameters.validations()));
    long channels = networks.teacherChannels();
    // Its own generator: without penalty images the steps draw exactly what they drew before.
    Random penaltyRandom = new Random(parameters.seed() + 2);
    long fitStart = System.nanoTime();
    long budgetNanos = parameters.trainingSeconds() > 0 ? (long) (parameters.trainingSeconds() * 1e9) : Long.MAX_VALUE;
    long snapshotNanos = 0; // saving snapshots is not training: it does not count against the budget
    List<Integer> order = new ArrayList<>();
    int next = 0;
    List<Checkpoint> checkpoints = new ArrayList<>();
    NDList best = null;
    Checkpoint bestCheckpoint = null;
    MapNormalization bestNormalization = null;
    double bestCriterion = Double.NEGATIVE_INFINITY;
    int step = 0;
    reporter.startTimedPhase("training");
    try {
      while (step < totalSteps) {
        reporter.checkCancelled();
        long[] picked = new long[perStep];
        for (int i = 0; i < perStep; i++) {
          if (next == order.size()) {
            order.clear();
            for (int k = 0; k < imageCount; k++) {
              order.add(k);
            }
            Collections.shuffle(order, random);
            next = 0;
          }
          picked[i] = order.get(next++);
        }
        double loss;
        try (NDManager scope = manager.newSubManager()) {
          // Results belong to their first operand's manager: the picked rows move into this step's
          // scope, so everything the step computes is freed with it.
          NDArray index = scope.create(picked);
          NDArray x = rgb.get(index);
          x.attach(scope);
          NDArray t = targets.get(index);
          t.attach(scope);
          NDArray generic = penalty == null ? null : penalty.crops(perStep, penaltyRandom, scope);
          try (GradientCollector collector = engine.newGradientCollector()) {
            ParameterStore store = new ParameterStore(scope, false);
            NDArray student = networks.student(store, x, true);
            NDArray autoencoder = networks.autoencoder(store, x, true);
            NDArray studentTeacher = t.sub(student.get(":, :" + channels)).square();
            NDArray hard = HardFeatureLoss.loss(studentTeacher, parameters.hardQuantile());
            NDArray autoencoderLoss = t.sub(autoencoder).square().mean();
            NDArray studentAutoencoder = autoencoder.sub(student.get(":, " + channels + ":")).square().mean();
            NDArray total = hard.add(autoencoderLoss).add(studentAutoencoder);
            if (generic != null) {
              NDArray genericStudent = networks.student(store, generic, true).get(":, :" + channels);
              total = total.add(PenaltyImages.loss(genericStudent).mul((float) parameters.penaltyWeight()));
            }
            collector.backward(total);
            loss = total.getFloat();
          }
          update(optimizer, networks.student, scope);
          update(optimizer, networks.autoencoder, scope);
        }
        step++;
        long spent = System.nanoTime() - fitStart - snapshotNanos;
        boolean outOfTime = spent >= budgetNanos;
        Duration remaining = remaining(step, totalSteps, spent, budgetNanos);
        reporter.progress("training", step, totalSteps, loss, remaining);
        if (step % validateEvery == 0 || step == totalSteps || outOfTime) {
          long validationStart = System.nanoTime();
          Validator.Result result = validator.validate(manager);
          double validationSeconds = (System.nanoTime() - validationStart) / 1e9;
          Checkpoint checkpoint = new Checkpoint(step, (System.nanoTime() - fitStart - snapshotNanos) / 1e9, loss,
              result.metrics().imageAuroc(), result.metrics().pixelAuroc());
          checkpoints.add(checkpoint);
          LOG.info("EfficientAD step {}/{}: loss {}, validation image AUROC {}, pixel AUROC {} ({} s, validation {} s)",
              step, totalSteps, String.format(Locale.ROOT, "%.4f", loss), round(checkpoint.imageAuroc()),
              round(checkpoint.pixelAuroc()), Math.round(checkpoint.seconds()), Math.round(validationSeconds));
          reporter.progress(String.format(Locale.ROOT, "validation at step %d (loss %.4f): image AUROC %s, pixel AUROC %s",
              step, loss, round(checkpoint.imageAuroc()), round(checkpoint.pixelAuroc())), 1, 1, Double.NaN);
          long snapshotStart = System.nanoTime();
          snapshots.save(step, result.normalization(), List.copyOf(checkpoints));
          snapshotNanos += System.nanoTime() - snapshotStart;
          double criterion = result.metrics().criterion();
          // NaN (a constant map) never counts as better.
          if (bestCheckpoint == null || criterion > bestCriterion) {
            if (best != null) {
              best.close();
            }
            best = networks.snapshot(manager);
            bestCheckpoint = checkpoint;
            bestNormalization = result.normalization();
            bestCriterion = Double.isNaN(criterion) ? Double.NEGATIVE_INFINITY : criterion;
          }
          if (outOfTime && step < totalSteps) {
            LOG.info("EfficientAD stops at step {}: the training budget of {} s is spent", step,
                parameters.trainingSeconds());
            break;
          }
        }
      }
      networks.restore(best);
      LOG.info("EfficientAD keeps step {}: validation image AUROC {}, pixel AUROC {}", bestCheckpoint.step(),
          round(bestCheckpoint.imageAuroc()), round(bestCheckpoint.pixelAuroc()));
      return new Fit(step, bestCheckpoint.step(), bestNormalization, checkpoints, featureSeconds);
    } finally {
      if (best != null) {
        best.close();
      }
    }
  }

  /**
   * One Adam step of every parameter of {@code block}. The gradient handles fetched here belong to
   * the step's scope and are freed with it: nothing accumulates on the model's manager.
   */
  private static void update(Optimizer optimizer, Block block, NDManager scope) {
    for (Pair<String, Parameter> pair : block.getParameters()) {
      Parameter parameter = pair.getValue();
      if (parameter.requiresGradient()) {
        NDArray array = parameter.getArray();
        NDArray gradient = array.getGradient();
        gradient.attach(scope);
        optimizer.update(parameter.getId(), array, gradient);
      }
    }
  }

  private static Duration remaining(int step, int totalSteps, long spentNanos, long budgetNanos) {
    long bySteps = (long) (spentNanos / (double) step * (totalSteps - step));
    return Duration.ofNanos(Math.max(0, Math.min(bySteps, budgetNanos - spentNanos)));
  }

  private static String round(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /**
   * Scores the validation split's prepared inputs: the normalisation quantiles from the held-out
   * good images' raw maps, then the combined maps at the input size against the synthetic masks.
   */
  private final class Validator {
    private final ValidationSet validation;
    private final NDArray rgb; // (2 x held out, 3, S, S): good ones first
    private final EfficientAdInference inference;

    record Result(ValidationMetrics metrics, MapNormalization normalization) {}

    Validator(ValidationSet validation, NDArray rgb, EfficientAdInference inference) {
      this.validation = validation;
      this.rgb = rgb;
      this.inference = inference;
    }

    Result validate(NDManager manager) {
      try (NDManager scope = manager.newSubManager()) {
        NDList st = new NDList();
        NDList ae = new NDList();
        long count = rgb.getShape().get(0);
        int size = parameters.batchSize();
        for (long start = 0; start < count; start += size) {
          // Each batch's activations are freed with its own scope; only its two small maps are kept.
          try (NDManager batchScope = scope.newSubManager()) {
            NDArray batch = rgb.get(start + ":" + Math.min(count, start + size));
            batch.attach(batchScope);
            NDList maps = inference.rawMaps(batch);
            maps.attach(scope);
            st.add(maps.get(0));
            ae.add(maps.get(1));
          }
        }
        NDArray studentTeacher = NDArrays.concat(st, 0);
        NDArray studentAutoencoder = NDArrays.concat(ae, 0);
        int good = validation.good().size();
        MapNormalization normalization = MapNormalization.of(
            studentTeacher.get(":" + good).toFloatArray(), studentAutoencoder.get(":" + good).toFloatArray(),
            parameters.mapQuantileLow(), parameters.mapQuantileHigh());
        // Validated on the map the model will use; the quantiles of both maps are kept whatever it sums.
        List<AnomalyMap> maps = inference.inputSizeMaps(normalization.counting(parameters.mapParts())
            .combine(studentTeacher, studentAutoencoder));
        ValidationMetrics metrics = ValidationMetrics.of(maps.subList(0, good), maps.subList(good, maps.size()),
            validation.masks(), VALIDATION_PIXEL_STRIDE);
        if (LOG.isDebugEnabled()) {
          // Which of the two maps finds what: each alone, as the combined map normalises it.
          MapNormalization studentOnly = normalization.counting(MapNormalization.STUDENT_TEACHER);
          MapNormalization autoencoderOnly = normalization.counting(MapNormalization.STUDENT_AUTOENCODER);
          List<AnomalyMap> stMaps = inference.inputSizeMaps(studentOnly.combine(studentTeacher, studentAutoencoder));
          List<AnomalyMap> aeMaps = inference.inputSizeMaps(autoencoderOnly.combine(studentTeacher, studentAutoencoder));
          ValidationMetrics stMetrics = ValidationMetrics.of(stMaps.subList(0, good), stMaps.subList(good,
              stMaps.size()), validation.masks(), VALIDATION_PIXEL_STRIDE);
          ValidationMetrics aeMetrics = ValidationMetrics.of(aeMaps.subList(0, good), aeMaps.subList(good,
              aeMaps.size()), validation.masks(), VALIDATION_PIXEL_STRIDE);
          LOG.debug("EfficientAD validation, student-teacher map alone: image AUROC {}, pixel AUROC {}; "
              + "student-autoencoder map alone: image AUROC {}, pixel AUROC {}", round(stMetrics.imageAuroc()),
              round(stMetrics.pixelAuroc()), round(aeMetrics.imageAuroc()), round(aeMetrics.pixelAuroc()));
        }
        return new Result(metrics, normalization);
      }
    }
  }
}
