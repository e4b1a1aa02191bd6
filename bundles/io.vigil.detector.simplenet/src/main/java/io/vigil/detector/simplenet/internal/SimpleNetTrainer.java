package io.vigil.detector.simplenet.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.ParameterList;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Image;
import io.vigil.api.source.ImageSource;
import io.vigil.backbone.Backbone;
import io.vigil.detector.common.calibration.HeldOutCalibration;
import io.vigil.detector.common.calibration.HeldOutSplit;
import io.vigil.detector.common.features.AnomalyMapResampler;
import io.vigil.detector.common.training.GoodImages;
import io.vigil.detector.common.training.TrainingReporter;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.common.validation.ValidationSet;
import io.vigil.detector.simplenet.internal.ModelMetadata.Checkpoint;
import io.vigil.detector.simplenet.internal.SimpleNetNetwork.FoldedScorer;
import io.vigil.djl.graph.CompiledNetwork;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains SimpleNet on good images. The backbone is frozen, so each image's patch features are
 * extracted once. A share of the images is held out, untouched by training: they calibrate the
 * score, and with a synthetic defect pasted into a copy of each they form the validation split on
 * which training is judged (the best validated network is kept, training stops when validation
 * stops improving or the time budget is spent) and the embedding's nearest-neighbour ceiling is
 * measured.
 */
final class SimpleNetTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(SimpleNetTrainer.class);
  /** Validation pixel AUROC over every second row and column: a quarter of the pixels, same ranking. */
  private static final int VALIDATION_PIXEL_STRIDE = 2;
  /** A validation must beat the best by this much to count as an improvement. */
  private static final double MIN_IMPROVEMENT = 1e-3;

  private final Engine engine;
  private final SimpleNetParameters parameters;
  private final TrainingReporter reporter;
  private TrainingObserver observer = TrainingObserver.NONE;

  SimpleNetTrainer(Engine engine, SimpleNetParameters parameters, TrainingMonitor monitor) {
    this.engine = engine;
    this.parameters = parameters;
    this.reporter = new TrainingReporter(monitor);
  }

  /** Benchmarks watch the embedding and each validation (to print test figures beside them). */
  void observe(TrainingObserver observer) {
    this.observer = observer;
  }

  /** Hooks for benchmarks; the product uses none. */
  interface TrainingObserver {
    TrainingObserver NONE = new TrainingObserver() {};

    /** After feature extraction: the standardisation (null when off) and the nearest-neighbour bank. */
    default void embedding(EmbeddingStandardization standardization, NearestNeighbourCeiling ceiling) {}

    /** After each validation, with the network as it stands folded for scoring raw features. */
    default void validated(Checkpoint checkpoint, FoldedScorer scorer) {}
  }

  /** Trains and saves the model; the inference object (owning {@code backbone}) is returned ready to score. */
  SimpleNetDetector train(ImageSource source, Backbone backbone, NDManager modelManager, Path modelDirectory, String name)
      throws TrainingException, InterruptedException {
    try {
      ModelStore.checkTarget(modelDirectory);
    } catch (IOException e) {
      throw new TrainingException("cannot write the model to " + modelDirectory + ": " + e.getMessage(), e);
    }
    List<String> skipped = new ArrayList<>();
    List<Image> images = GoodImages.read(source, "SimpleNet", reporter, skipped);
    Random random = new Random(parameters.seed());
    HeldOutSplit<Image> split;
    try {
      split = HeldOutSplit.of(images, parameters.calibrationShare(), random);
    } catch (IllegalArgumentException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    List<Image> holdout = split.heldOut();
    List<Image> training = split.training();
    ValidationSet validation = ValidationSet.of(holdout, parameters.inputSize(), new Random(parameters.seed() + 1));
    engine.setRandomSeed((int) parameters.seed());

    SimpleNetInference inference = new SimpleNetInference(backbone, parameters, modelManager);
    boolean success = false;
    try (NDManager trainingManager = modelManager.newSubManager()) {
      NDArray rows; // (images x patches, d): one row per patch, image by image
      NDArray validationFeatures; // (2 held out, d, h, w), raw
      CompiledNetwork embedding = inference.compileEmbedding().orElse(null);
      try {
        rows = extractFeatures(inference, embedding, training, trainingManager, "features", false);
        validationFeatures = extractFeatures(inference, embedding, validation.images(), trainingManager,
            "validation features", true);
      } finally {
        if (embedding != null) {
          embedding.close(); // its static memory (a plan per batch size) goes before training
        }
      }
      long dimension = rows.getShape().get(1);
      EmbeddingStandardization standardization = null;
      double[][] moments = EmbeddingStandardization.columnMoments(rows);
      double meanStd = java.util.Arrays.stream(moments[1]).average().orElse(0);
      if (parameters.standardized()) {
        standardization = EmbeddingStandardization.measure(rows);
        meanStd = standardization.meanStandardizedStd(moments[1]);
        standardization.applyInPlace(rows); // the biggest array of the training: no second copy
      }
      double noiseStd = parameters.noiseStd() > 0 ? parameters.noiseStd() : parameters.noiseFraction() * meanStd;
      String noiseRule = parameters.noiseStd() > 0
          ? "fixed (noise.std)"
          : String.format(Locale.ROOT, "%s x mean per-dimension std of the %s training embedding (%.5f)",
              parameters.noiseFraction(), standardization != null ? "standardised" : "raw", meanStd);
      LOG.info("SimpleNet embedding: {} dimensions, {}; noise std {} = {}", dimension,
          standardization != null ? "standardised" : "raw", String.format(Locale.ROOT, "%.5f", noiseStd), noiseRule);

      Validator validator = new Validator(validation, validationFeatures, trainingManager);
      Checkpoint ceiling = null;
      NearestNeighbourCeiling nearest = null;
      if (parameters.diagnosticPatches() > 0) {
        checkCancelled();
        progress("nearest-neighbour ceiling", 0, 1, Double.NaN);
        NDArray bank = sampleRows(rows, parameters.diagnosticPatches(), random, trainingManager);
        nearest = new NearestNeighbourCeiling(bank);
        ValidationMetrics metrics = validator.nearestNeighbour(nearest, standardization);
        ceiling = new Checkpoint(0, reporter.elapsed().toNanos() / 1e9, metrics.imageAuroc(), metrics.pixelAuroc());
        LOG.info("SimpleNet nearest-neighbour ceiling of this embedding ({} training patches): validation image AUROC {},"
            + " pixel AUROC {}", bank.getShape().get(0), round(metrics.imageAuroc()), round(metrics.pixelAuroc()));
        // Progress phases are what a console or view shows: the diagnostic belongs in the training log.
        progress("nearest-neighbour ceiling (" + bank.getShape().get(0) + " patches): validation image AUROC "
            + round(metrics.imageAuroc()) + ", pixel AUROC " + round(metrics.pixelAuroc()), 1, 1, Double.NaN);
      }
      observer.embedding(standardization, nearest);

      SimpleNetNetwork network = new SimpleNetNetwork((int) dimension, parameters.discriminatorHidden());
      // On the training manager: scoring uses the folded arrays, so the network's own parameters
      // (and what the optimizer attached to them) go when training ends.
      network.initialize(trainingManager);
      Fit fit = fit(network, rows, training.size(), (float) noiseStd, validator, standardization, trainingManager, random);
      inference.setScorer(network.fold(modelManager, standardization));
      String kept = "kept step " + fit.bestStep + " of " + fit.steps + ": validation image AUROC "
          + round(fit.best.imageAuroc()) + ", pixel AUROC " + round(fit.best.pixelAuroc())
          + (ceiling == null ? "" : " (nearest-neighbour ceiling " + round(ceiling.imageAuroc()) + ", "
              + round(ceiling.pixelAuroc()) + ")");
      LOG.info("SimpleNet {}", kept);
      progress(kept, 1, 1, Double.NaN);

      progress("calibration", 0, holdout.size(), Double.NaN);
      List<Double> holdoutScores = new ArrayList<>();
      for (int start = 0; start < holdout.size(); start += parameters.batchSize()) {
        for (AnomalyMap map : inference.anomalyMaps(holdout.subList(start, Math.min(holdout.size(), start + parameters.batchSize())))) {
          holdoutScores.add((double) map.max());
        }
        progress("calibration", Math.min(holdout.size(), start + parameters.batchSize()), holdout.size(), Double.NaN);
      }
      Calibration calibration = HeldOutCalibration.calibrate(holdoutScores, parameters.thresholdQuantile());
      double seconds = reporter.elapsed().toNanos() / 1e9;
      ModelMetadata.TrainingSummary summary = new ModelMetadata.TrainingSummary(training.size(), skipped,
          source.name(), fit.epochLosses, seconds, noiseStd, noiseRule, fit.steps, fit.bestStep, fit.checkpoints, ceiling);
      EmbeddingStandardization stored = standardization;
      ModelStore.ModelMetadataBuilder metadata = sha -> new ModelMetadata(ModelMetadata.FORMAT_VERSION, name,
          Instant.now(), backbone.name(), backbone.weightsSha256(), parameters, (int) dimension, stored, calibration, holdoutScores,
          summary, sha);
      ModelStore.save(modelDirectory, network, metadata);
      SimpleNetDetector detector =
          new SimpleNetDetector(name, ModelStore.readMetadata(modelDirectory), modelDirectory, inference);
      success = true;
      LOG.info("Trained SimpleNet '{}' on {} images in {} s", name, training.size(), Math.round(seconds));
      return detector;
    } catch (IOException e) {
      throw new TrainingException("cannot save the model to " + modelDirectory + ": " + e.getMessage(), e);
    } catch (io.vigil.api.detector.ModelException e) {
      throw new TrainingException(e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof CancellationException) {
        throw e;
      }
      throw new TrainingException("training failed: " + e.getMessage(), e);
    } finally {
      if (!success) {
        inference.close();
      }
    }
  }

  /**
   * Patch features of {@code images} on {@code into}, written batch by batch into one array, so
   * no batch outlives its step and no concatenation doubles them: rows (images x patches, d), or
   * channels first (images, d, h, w). (A reshape in DJL's MXNet engine copies, so the layout is
   * the one its user needs.)
   *
   * @param embedding the compiled backbone + embedding; null: layer by layer
   */
  private NDArray extractFeatures(SimpleNetInference inference, CompiledNetwork embedding, List<Image> images,
      NDManager into, String phase, boolean channelsFirst) throws InterruptedException {
    NDArray all = null;
    for (int start = 0; start < images.size(); start += parameters.batchSize()) {
      checkCancelled();
      int end = Math.min(images.size(), start + parameters.batchSize());
      try (NDManager scope = into.newSubManager()) {
        NDArray rgb = inference.input(scope, images.subList(start, end));
        NDArray maps = embedding != null
            ? embedding.forward(rgb).singletonOrThrow()
            : inference.patchFeaturesChannelsFirst(rgb); // (n, d, h, w)
        Shape shape = maps.getShape();
        long perImage = channelsFirst ? 1 : shape.get(2) * shape.get(3); // rows of one image
        NDArray batch = channelsFirst ? maps : maps.transpose(0, 2, 3, 1).reshape(-1, shape.get(1));
        if (all == null) {
          long[] whole = batch.getShape().getShape();
          whole[0] = images.size() * perImage;
          all = into.create(new Shape(whole), batch.getDataType());
        }
        all.set(new NDIndex("{}:{}", start * perImage, end * perImage), batch);
      }
      progress(phase, end, images.size(), Double.NaN);
    }
    return all;
  }

  /** {@code count} random rows (without replacement) of (n, d) rows, as a new array on {@code into}. */
  private static NDArray sampleRows(NDArray rows, int count, Random random, NDManager into) {
    long n = rows.getShape().get(0);
    int take = (int) Math.min(n, count);
    long[] picked = new long[take];
    java.util.Set<Long> seen = new java.util.HashSet<>();
    int k = 0;
    while (k < take) {
      long candidate = (long) (random.nextDouble() * n);
      if (seen.add(candidate)) {
        picked[k++] = candidate;
      }
    }
    NDArray index = into.create(picked);
    NDArray sample = rows.get(index);
    sample.attach(into);
    index.close();
    return sample;
  }

  /** What the training loop leaves: the best validated network is already restored. */
  private record Fit(List<Double> epochLosses, int steps, int bestStep, Checkpoint best, List<Checkpoint> checkpoints) {}

  /**
   * The training loop: each step takes {@code patches.per.image} random patches from each of
   * {@code batch.size} images (images in a shuffled cycle), adds noise to the adapted features and
   * updates both parts. Every {@code validation.every} steps the network is validated; the best
   * one is kept, and training stops when {@code patience} validations brought no improvement, the
   * epochs are done or the time budget is spent.
   */
  private Fit fit(SimpleNetNetwork network, NDArray rows, int imageCount, float noiseStd, Validator validator,
      EmbeddingStandardization standardization, NDManager manager, Random random) throws InterruptedException {
    int patchCount = (int) (rows.getShape().get(0) / imageCount);
    int imagesPerStep = Math.min(parameters.batchSize(), imageCount);
    int patchesPerImage = parameters.patchesPerImage() == 0 ? patchCount : Math.min(patchCount, parameters.patchesPerImage());
    long patchesPerEpoch = (long) imageCount * patchCount;
    int stepsPerEpoch = (int) Math.max(1, (patchesPerEpoch + (long) imagesPerStep * patchesPerImage - 1)
        / ((long) imagesPerStep * patchesPerImage));
    int totalSteps = stepsPerEpoch * parameters.epochs();
    // AdamW as Adam after decoupled weight decay (what PyTorch's AdamW does): DJL's AdamW leaves
    // a scalar array per parameter and step on the parameter's manager.
    Optimizer adaptorOptimizer = Optimizer.adam()
        .optLearningRateTracker(Tracker.fixed((float) parameters.adaptorLearningRate()))
        .optWeightDecays(0f)
        .build();
    float adaptorDecay = (float) (parameters.adaptorLearningRate() * parameters.adaptorWeightDecay());
    Optimizer discriminatorOptimizer = Optimizer.adam()
        .optLearningRateTracker(Tracker.fixed((float) parameters.discriminatorLearningRate()))
        .optWeightDecays((float) parameters.discriminatorWeightDecay())
        .build();
    List<Double> epochLosses = new ArrayList<>();
    List<Checkpoint> checkpoints = new ArrayList<>();
    long fitStart = System.nanoTime();
    long budgetNanos = parameters.trainingSeconds() > 0 ? (long) (parameters.trainingSeconds() * 1e9) : Long.MAX_VALUE;
    int[] imageOrder = shuffledIndices(imageCount, random);
    int nextImage = 0;
    int[] patchOrder = new int[patchCount];
    for (int i = 0; i < patchCount; i++) {
      patchOrder[i] = i;
    }
    NDList best = null;
    Checkpoint bestCheckpoint = null;
    int bestStep = 0;
    int sinceBest = 0;
    double epochLoss = 0;
    int epochSteps = 0;
    int step = 0;
    try {
      while (step < totalSteps) {
        checkCancelled();
        long[] picked = new long[imagesPerStep * patchesPerImage];
        for (int i = 0; i < imagesPerStep; i++) {
          if (nextImage == imageCount) {
            imageOrder = shuffledIndices(imageCount, random);
            nextImage = 0;
          }
          int image = imageOrder[nextImage++];
          // A partial Fisher-Yates shuffle: patchesPerImage distinct patches of this image.
          for (int p = 0; p < patchesPerImage; p++) {
            int j = p + random.nextInt(patchCount - p);
            int t = patchOrder[p];
            patchOrder[p] = patchOrder[j];
            patchOrder[j] = t;
            picked[i * patchesPerImage + p] = (long) image * patchCount + patchOrder[p];
          }
        }
        double loss;
        try (NDManager scope = manager.newSubManager()) {
          // Results of an operation belong to its first operand's manager: move the picked rows
          // into this step's scope, so everything the step computes is freed with it.
          NDArray batch = rows.get(scope.create(picked));
          batch.attach(scope);
          try (GradientCollector collector = engine.newGradientCollector()) {
            NDList out = network.trainingForward(new ParameterStore(scope, false), batch, noiseStd,
                (float) parameters.margin());
            collector.backward(out.get(0));
            loss = out.get(0).getFloat();
          }
          update(adaptorOptimizer, network.adaptor.getParameters(), scope, adaptorDecay);
          update(discriminatorOptimizer, network.discriminator.getParameters(), scope, 0f);
        }
        step++;
        epochLoss += loss;
        epochSteps++;
        if (step % stepsPerEpoch == 0) {
          epochLosses.add(epochLoss / epochSteps);
          LOG.info("SimpleNet epoch {}/{}: mean loss {}", step / stepsPerEpoch, parameters.epochs(), epochLoss / epochSteps);
          epochLoss = 0;
          epochSteps = 0;
        }
        long spent = System.nanoTime() - fitStart;
        boolean outOfTime = spent >= budgetNanos;
        if (step % parameters.validationEvery() == 0 || step == totalSteps || outOfTime) {
          progress(phase(step, stepsPerEpoch), step, totalSteps, loss, remaining(step, totalSteps, spent, budgetNanos));
          Checkpoint checkpoint;
          try (NDManager scope = manager.newSubManager()) {
            FoldedScorer scorer = network.fold(scope, standardization);
            ValidationMetrics metrics = validator.discriminator(scorer);
            checkpoint = new Checkpoint(step, (System.nanoTime() - fitStart) / 1e9, metrics.imageAuroc(), metrics.pixelAuroc());
            observer.validated(checkpoint, scorer);
          }
          checkpoints.add(checkpoint);
          LOG.info("SimpleNet step {}: loss {}, validation image AUROC {}, pixel AUROC {} ({} s)", step,
              String.format(Locale.ROOT, "%.4f", loss), round(checkpoint.imageAuroc()), round(checkpoint.pixelAuroc()),
              Math.round(checkpoint.seconds()));
          progress(String.format(Locale.ROOT, "validation at step %d (loss %.4f): image AUROC %s, pixel AUROC %s", step,
              loss, round(checkpoint.imageAuroc()), round(checkpoint.pixelAuroc())), 1, 1, Double.NaN);
          if (bestCheckpoint == null || criterion(checkpoint) > criterion(bestCheckpoint) + MIN_IMPROVEMENT) {
            if (best != null) {
              best.close();
            }
            best = network.snapshot(manager);
            bestCheckpoint = checkpoint;
            bestStep = step;
            sinceBest = 0;
          } else if (++sinceBest >= parameters.patience() && parameters.patience() > 0) {
            LOG.info("SimpleNet stops at step {}: no better validation in {} validations", step, sinceBest);
            break;
          }
          if (System.nanoTime() - fitStart >= budgetNanos) {
            LOG.info("SimpleNet stops at step {}: the training budget of {} s is spent", step, parameters.trainingSeconds());
            break;
          }
        } else {
          progress(phase(step, stepsPerEpoch), step, totalSteps, loss, remaining(step, totalSteps, spent, budgetNanos));
        }
      }
      if (epochSteps > 0) {
        epochLosses.add(epochLoss / epochSteps);
      }
      network.restore(best);
      return new Fit(epochLosses, step, bestStep, bestCheckpoint, checkpoints);
    } finally {
      if (best != null) {
        best.close();
      }
    }
  }

  private String phase(int step, int stepsPerEpoch) {
    return "epoch " + Math.min(parameters.epochs(), (step - 1) / stepsPerEpoch + 1) + "/" + parameters.epochs();
  }

  private static Duration remaining(int step, int totalSteps, long spentNanos, long budgetNanos) {
    long bySteps = (long) (spentNanos / (double) step * (totalSteps - step));
    return Duration.ofNanos(Math.max(0, Math.min(bySteps, budgetNanos - spentNanos)));
  }

  private static double criterion(Checkpoint checkpoint) {
    return (checkpoint.imageAuroc() + checkpoint.pixelAuroc()) / 2;
  }

  private static String round(double value) {
    return String.format(Locale.ROOT, "%.4f", value);
  }

  /**
   * One optimizer step, after decoupled weight decay {@code w *= 1 - decay} (AdamW's, decay = lr x
   * weight decay; 0 for none). The gradient handles fetched here belong to the step's scope and
   * are freed with it: nothing accumulates on the model's manager.
   */
  static void update(Optimizer optimizer, ParameterList parameters, NDManager scope, float decay) {
    for (Pair<String, Parameter> pair : parameters) {
      Parameter parameter = pair.getValue();
      if (parameter.requiresGradient()) {
        NDArray array = parameter.getArray();
        if (decay != 0) {
          array.muli(1 - decay);
        }
        NDArray gradient = array.getGradient();
        gradient.attach(scope);
        optimizer.update(parameter.getId(), array, gradient);
      }
    }
  }

  private static int[] shuffledIndices(int count, Random random) {
    int[] indices = new int[count];
    for (int i = 0; i < count; i++) {
      indices[i] = i;
    }
    for (int i = count - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      int t = indices[i];
      indices[i] = indices[j];
      indices[j] = t;
    }
    return indices;
  }

  private void checkCancelled() throws InterruptedException {
    reporter.checkCancelled();
  }

  private void progress(String phase, int step, int total, double loss) {
    reporter.progress(phase, step, total, loss);
  }

  private void progress(String phase, int step, int total, double loss, Duration remaining) {
    reporter.progress(phase, step, total, loss, remaining);
  }

  /** Scores the validation split's cached features into maps at the input size and measures them. */
  private final class Validator {
    private final ValidationSet validation;
    private final NDArray features; // (M, d, h, w), raw
    private final AnomalyMapResampler resampler;

    Validator(ValidationSet validation, NDArray features, NDManager manager) {
      this.validation = validation;
      this.features = features;
      this.resampler = new AnomalyMapResampler(parameters.inputSize(), parameters.smoothingSigma(), manager);
    }

    ValidationMetrics discriminator(FoldedScorer scorer) {
      return measure(batch -> scorer.scoreMaps(batch));
    }

    ValidationMetrics nearestNeighbour(NearestNeighbourCeiling nearest, EmbeddingStandardization standardization) {
      return measure(batch -> {
        NDArray embedded = standardization == null ? batch : standardization.applyChannelsFirst(batch);
        return nearest.scoreGrids(embedded.transpose(0, 2, 3, 1));
      });
    }

    private ValidationMetrics measure(java.util.function.Function<NDArray, NDArray> scoreGrids) {
      int size = parameters.inputSize();
      List<AnomalyMap> maps = new ArrayList<>();
      long count = features.getShape().get(0);
      for (long start = 0; start < count; start += 16) {
        try (NDManager scope = features.getManager().newSubManager()) {
          NDArray batch = features.get(start + ":" + Math.min(count, start + 16));
          batch.attach(scope);
          NDArray grids = scoreGrids.apply(batch);
          for (int i = 0; i < grids.getShape().get(0); i++) {
            maps.add(new AnomalyMap(size, size, resampler.toImage(grids.get(i), size, size)));
          }
        }
      }
      int good = validation.good().size();
      return ValidationMetrics.of(maps.subList(0, good), maps.subList(good, maps.size()), validation.masks(),
          VALIDATION_PIXEL_STRIDE);
    }
  }
}
