package io.vigil.detector.simplenet.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
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
import io.vigil.detector.common.training.GoodImages;
import io.vigil.detector.common.training.TrainingReporter;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains SimpleNet on good images. The backbone is frozen, so each training image's patch
 * features are extracted once and reused every epoch; a share of the images is held out,
 * untouched by training, to calibrate the score after it.
 */
final class SimpleNetTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(SimpleNetTrainer.class);

  private final Engine engine;
  private final SimpleNetParameters parameters;
  private final TrainingReporter reporter;
  /** Called after each epoch with the network as it stands (benchmarks measure learning curves). */
  private java.util.function.ObjIntConsumer<SimpleNetNetwork> afterEpoch = (network, epoch) -> {};

  void afterEachEpoch(java.util.function.ObjIntConsumer<SimpleNetNetwork> listener) {
    this.afterEpoch = listener;
  }

  SimpleNetTrainer(Engine engine, SimpleNetParameters parameters, TrainingMonitor monitor) {
    this.engine = engine;
    this.parameters = parameters;
    this.reporter = new TrainingReporter(monitor);
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
    engine.setRandomSeed((int) parameters.seed());

    SimpleNetInference inference = new SimpleNetInference(backbone, parameters, modelManager);
    SimpleNetNetwork network = new SimpleNetNetwork(parameters.embeddingDimension(), parameters.discriminatorHidden());
    boolean success = false;
    try (NDManager trainingManager = modelManager.newSubManager()) {
      NDArray features = extractFeatures(inference, training, trainingManager); // (images, patches, d)
      network.initialize(modelManager);
      List<Double> epochLosses = fit(network, features, trainingManager, random);
      inference.setScorer(network.fold(modelManager));

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
      ModelMetadata.TrainingSummary summary =
          new ModelMetadata.TrainingSummary(training.size(), skipped, source.name(), epochLosses, seconds);
      ModelStore.ModelMetadataBuilder metadata = sha -> new ModelMetadata(ModelMetadata.FORMAT_VERSION, name,
          Instant.now(), backbone.name(), backbone.weightsSha256(), parameters, calibration, holdoutScores, summary, sha);
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

  private NDArray extractFeatures(SimpleNetInference inference, List<Image> images, NDManager into)
      throws InterruptedException {
    NDList batches = new NDList();
    for (int start = 0; start < images.size(); start += parameters.batchSize()) {
      checkCancelled();
      try (NDManager scope = into.newSubManager()) {
        NDArray batch = inference.patchFeatures(scope, images.subList(start, Math.min(images.size(), start + parameters.batchSize())));
        long patches = batch.getShape().get(1) * batch.getShape().get(2);
        NDArray kept = batch.reshape(batch.getShape().get(0), patches, batch.getShape().get(3));
        kept.attach(into);
        batches.add(kept);
      }
      progress("features", Math.min(images.size(), start + parameters.batchSize()), images.size(), Double.NaN);
    }
    if (batches.size() == 1) {
      return batches.get(0);
    }
    NDArray all = NDArrays.concat(batches, 0);
    batches.close(); // the concatenation is a copy
    return all;
  }

  /** The epochs: each step takes a batch of images' patches, adds noise, and updates both parts. */
  private List<Double> fit(SimpleNetNetwork network, NDArray features, NDManager manager, Random random)
      throws InterruptedException {
    int imageCount = (int) features.getShape().get(0);
    long dimension = features.getShape().get(2);
    int stepsPerEpoch = (imageCount + parameters.batchSize() - 1) / parameters.batchSize();
    int totalSteps = stepsPerEpoch * parameters.epochs();
    Optimizer adaptorOptimizer = Optimizer.adamW()
        .optLearningRateTracker(Tracker.fixed((float) parameters.adaptorLearningRate()))
        .optWeightDecays((float) parameters.adaptorWeightDecay())
        .build();
    Optimizer discriminatorOptimizer = Optimizer.adam()
        .optLearningRateTracker(Tracker.fixed((float) parameters.discriminatorLearningRate()))
        .optWeightDecays((float) parameters.discriminatorWeightDecay())
        .build();
    List<Double> epochLosses = new ArrayList<>();
    int step = 0;
    reporter.startTimedPhase("epoch");
    for (int epoch = 0; epoch < parameters.epochs(); epoch++) {
      int[] order = shuffledIndices(imageCount, random);
      double lossSum = 0;
      for (int start = 0; start < imageCount; start += parameters.batchSize()) {
        checkCancelled();
        int[] batch = Arrays.copyOfRange(order, start, Math.min(imageCount, start + parameters.batchSize()));
        double loss;
        try (NDManager scope = manager.newSubManager()) {
          // Results of an operation belong to its first operand's manager: move the picked rows
          // into this step's scope, so everything the step computes is freed with it.
          NDArray picked = features.get(scope.create(batch));
          picked.attach(scope);
          NDArray rows = picked.reshape(-1, dimension);
          try (GradientCollector collector = engine.newGradientCollector()) {
            NDList out = network.trainingForward(new ParameterStore(scope, false), rows,
                (float) parameters.noiseStd(), (float) parameters.margin());
            collector.backward(out.get(0));
            loss = out.get(0).getFloat();
          }
          update(adaptorOptimizer, network.adaptor.getParameters());
          update(discriminatorOptimizer, network.discriminator.getParameters());
        }
        lossSum += loss;
        step++;
        progress("epoch " + (epoch + 1) + "/" + parameters.epochs(), step, totalSteps, loss);
      }
      epochLosses.add(lossSum / stepsPerEpoch);
      afterEpoch.accept(network, epoch + 1);
      LOG.info("SimpleNet epoch {}/{}: mean loss {}", epoch + 1, parameters.epochs(), lossSum / stepsPerEpoch);
    }
    return epochLosses;
  }

  private static void update(Optimizer optimizer, ai.djl.nn.ParameterList parameters) {
    for (Pair<String, Parameter> pair : parameters) {
      Parameter parameter = pair.getValue();
      if (parameter.requiresGradient()) {
        NDArray array = parameter.getArray();
        optimizer.update(parameter.getId(), array, array.getGradient());
      }
    }
  }

  private static int[] shuffledIndices(int count, Random random) {
    List<Integer> indices = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      indices.add(i);
    }
    Collections.shuffle(indices, random);
    return indices.stream().mapToInt(Integer::intValue).toArray();
  }

  private void checkCancelled() throws InterruptedException {
    reporter.checkCancelled();
  }

  private void progress(String phase, int step, int total, double loss) {
    reporter.progress(phase, step, total, loss);
  }
}
