package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
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
import io.vigil.djl.graph.CompiledNetwork;
import io.vigil.detector.common.features.PatchFeatureExtractor;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fits PatchCore: no training loop, only feature extraction of the good images, a coreset of
 * their patches as the memory bank, and calibration on held-out good images. Phases reported:
 * reading, features, coreset (with ETA), calibration.
 */
final class PatchCoreTrainer {
  private static final Logger LOG = LoggerFactory.getLogger(PatchCoreTrainer.class);
  /** How often (in chosen points) the coreset reports and checks for cancellation. */
  private static final int CORESET_REPORT_EVERY = 64;

  private final PatchCoreParameters parameters;
  private final TrainingReporter reporter;

  PatchCoreTrainer(PatchCoreParameters parameters, TrainingMonitor monitor) {
    this.parameters = parameters;
    this.reporter = new TrainingReporter(monitor);
  }

  /** Fits and saves the model; the detector returned owns {@code backbone} and {@code modelManager}. */
  PatchCoreDetector train(ImageSource source, Backbone backbone, NDManager modelManager, Path modelDirectory, String name)
      throws TrainingException, InterruptedException {
    boolean success = false;
    PatchCoreInference inference = null;
    try {
      ModelDirectories.checkTarget(modelDirectory);
      List<String> skipped = new ArrayList<>();
      List<Image> images = GoodImages.read(source, "PatchCore", reporter, skipped);
      Random random = new Random(parameters.seed());
      HeldOutSplit<Image> split;
      try {
        split = HeldOutSplit.of(images, parameters.calibrationShare(), random);
      } catch (IllegalArgumentException e) {
        throw new TrainingException(e.getMessage(), e);
      }
      PatchCoreFeatures features = new PatchCoreFeatures(backbone, parameters);
      Fit fit = fit(features, split.training(), modelManager, random);
      inference = new PatchCoreInference(features, parameters, fit.bank(), fit.projection(), modelManager);

      reporter.progress("calibration", 0, split.heldOut().size(), Double.NaN);
      List<Double> heldOutScores = new ArrayList<>();
      for (int start = 0; start < split.heldOut().size(); start += parameters.batchSize()) {
        reporter.checkCancelled();
        int end = Math.min(split.heldOut().size(), start + parameters.batchSize());
        inference.score(split.heldOut().subList(start, end)).forEach(s -> heldOutScores.add(s.score()));
        reporter.progress("calibration", end, split.heldOut().size(), Double.NaN);
      }
      Calibration calibration = HeldOutCalibration.calibrate(heldOutScores, parameters.thresholdQuantile());
      double seconds = reporter.elapsed().toNanos() / 1e9;
      PatchCoreMetadata.FitSummary summary = new PatchCoreMetadata.FitSummary(split.training().size(), skipped,
          source.name(), fit.patches(), fit.candidates(), fit.bank().size(), fit.featureDimension(), fit.featureSeconds(),
          fit.coresetSeconds(), seconds, fit.projection() == null ? Double.NaN : fit.projection().keptVariance());
      MemoryBank bank = fit.bank();
      SearchProjection projection = fit.projection();
      ModelDirectories.writeAtomically(modelDirectory, partial -> {
        Path bankFile = partial.resolve(PatchCoreMetadata.BANK_FILE);
        try (DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(bankFile)))) {
          bank.write(out, parameters.precision());
        }
        String projectionSha256 = null;
        if (projection != null) {
          Path projectionFile = partial.resolve(PatchCoreMetadata.PROJECTION_FILE);
          try (DataOutputStream out =
              new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(projectionFile)))) {
            projection.write(out);
          }
          projectionSha256 = ModelDirectories.sha256(projectionFile);
        }
        PatchCoreMetadata metadata = new PatchCoreMetadata(PatchCoreMetadata.FORMAT_VERSION, name, Instant.now(),
            backbone.name(), backbone.weightsSha256(), parameters, calibration, heldOutScores, summary,
            ModelDirectories.sha256(bankFile), projectionSha256);
        Files.writeString(partial.resolve(PatchCoreMetadata.FILE), metadata.toJson(), StandardCharsets.UTF_8);
      });
      PatchCoreDetector detector =
          new PatchCoreDetector(name, PatchCoreModels.readMetadata(modelDirectory), modelDirectory, inference);
      success = true;
      LOG.info("Fitted PatchCore '{}' on {} images: bank of {} x {} from {} candidate patches in {} s", name,
          split.training().size(), bank.size(), bank.dimension(), fit.candidates(), Math.round(seconds));
      return detector;
    } catch (IOException e) {
      throw new TrainingException("cannot write the model to " + modelDirectory + ": " + e.getMessage(), e);
    } catch (ModelException e) {
      throw new TrainingException(e.getMessage(), e);
    } catch (RuntimeException e) {
      if (e instanceof CancellationException) {
        throw e;
      }
      throw new TrainingException("fitting PatchCore failed: " + e.getMessage(), e);
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

  /**
   * The bank (projected when {@code projection} is not null), with the figures the model document
   * records; {@code featureDimension} is the features' before any projection.
   */
  record Fit(MemoryBank bank, SearchProjection projection, int featureDimension, long patches, int candidates,
      double featureSeconds, double coresetSeconds) {}

  /**
   * Features of the training images, a batch at a time, through the coreset's first stage (only
   * each image's kept patches are held), then the second stage down to the bank.
   */
  Fit fit(PatchCoreFeatures features, List<Image> training, NDManager modelManager, Random random)
      throws InterruptedException {
    long featureStart = System.nanoTime();
    CandidatePatches candidates = null;
    float[] projection = null;
    // Its own compiled backbone + embedding, closed after the features: through the backbone's
    // features() the graph (and its memory plans) would stay cached in the backbone for the
    // model's life, though scoring runs the whole compiled PatchCore graph instead.
    CompiledNetwork embedding = compileEmbedding(features);
    try {
      for (int start = 0; start < training.size(); start += parameters.batchSize()) {
        reporter.checkCancelled();
        int end = Math.min(training.size(), start + parameters.batchSize());
        try (NDManager scope = modelManager.newSubManager()) {
          NDArray rgb = features.input(scope, training.subList(start, end));
          NDArray grid = embedding != null ? embedding.forward(rgb).singletonOrThrow() : features.channelsFirst(rgb);
          grid.attach(scope);
          int cells = (int) (grid.getShape().get(2) * grid.getShape().get(3));
          NDArray rows = PatchCoreFeatures.rows(grid);
          if (candidates == null) {
            candidates = newCandidates((int) rows.getShape().get(1), random);
            projection = projectionMatrix(candidates);
          }
          offer(candidates, projection, rows, cells);
        }
        reporter.progress("features", end, training.size(), Double.NaN);
      }
    } finally {
      if (embedding != null) {
        embedding.close();
      }
    }
    double featureSeconds = (System.nanoTime() - featureStart) / 1e9;
    Fit fit = bank(candidates, modelManager, random);
    return new Fit(fit.bank(), fit.projection(), fit.featureDimension(), fit.patches(), fit.candidates(),
        featureSeconds, fit.coresetSeconds());
  }

  /** The compiled backbone + embedding; null (layer by layer) when the graph does not compile. */
  private static CompiledNetwork compileEmbedding(PatchCoreFeatures features) {
    try {
      return features.compile(graph -> graph.output(PatchFeatureExtractor.EMBEDDING)).orElse(null);
    } catch (RuntimeException e) {
      LOG.warn("PatchCore extracts features layer by layer (slower): the graph did not compile: {}", e.getMessage());
      return null;
    }
  }

  /** The bank from patch rows already extracted (P, D), {@code cells} rows per image (the benchmark's way). */
  Fit bank(NDArray patches, int cells, NDManager modelManager, Random random) throws InterruptedException {
    long start = System.nanoTime();
    CandidatePatches candidates = newCandidates((int) patches.getShape().get(1), random);
    float[] projection = projectionMatrix(candidates);
    int images = (int) (patches.getShape().get(0) / cells);
    for (int image = 0; image < images; image += parameters.batchSize()) {
      int end = Math.min(images, image + parameters.batchSize());
      try (NDManager scope = modelManager.newSubManager()) {
        NDArray rows = patches.get((long) image * cells + ":" + (long) end * cells);
        rows.attach(scope);
        offer(candidates, projection, rows, cells);
      }
    }
    double firstStage = (System.nanoTime() - start) / 1e9;
    Fit fit = bank(candidates, modelManager, random);
    return new Fit(fit.bank(), fit.projection(), fit.featureDimension(), fit.patches(), fit.candidates(), 0,
        firstStage + fit.coresetSeconds());
  }

  private CandidatePatches newCandidates(int featureDimension, Random random) {
    int projected = RandomProjection.reduces(featureDimension, parameters.projectionDimension())
        ? parameters.projectionDimension() : featureDimension;
    // The single-stage setting draws its candidates from all patches, so it keeps them all first.
    double share = parameters.candidatePatches() > 0 ? 1 : parameters.candidateShare();
    return new CandidatePatches(share, random, featureDimension, projected);
  }

  /** The projection's matrix, or null when distances are taken on the features themselves. */
  private float[] projectionMatrix(CandidatePatches candidates) {
    int d = candidates.featureDimension();
    return RandomProjection.reduces(d, parameters.projectionDimension())
        ? RandomProjection.matrix(d, parameters.projectionDimension(), parameters.seed()) : null;
  }

  /** One batch's patch rows (on a scope the caller closes) through the first stage. */
  private static void offer(CandidatePatches candidates, float[] projection, NDArray rows, int cells)
      throws InterruptedException {
    float[] values = rows.toFloatArray();
    float[] projected = values;
    if (projection != null) {
      int d = candidates.featureDimension();
      NDArray matrix = rows.getManager().create(projection, new Shape(d, projection.length / d));
      projected = rows.matMul(matrix).toFloatArray();
    }
    candidates.add(values, projected, cells);
  }

  /** The second stage (or, with {@code candidate.patches}, random candidates and one greedy): the bank. */
  Fit bank(CandidatePatches kept, NDManager modelManager, Random random) throws InterruptedException {
    long coresetStart = System.nanoTime();
    long total = kept.seen();
    CandidatePatches candidates = kept;
    if (parameters.candidatePatches() > 0 && kept.size() > parameters.candidatePatches()) {
      candidates = kept.subset(sample(kept.size(), parameters.candidatePatches(), random));
    }
    int count = candidates.size();
    int bankSize = parameters.bankSize(count);
    reporter.startTimedPhase("coreset");
    int[] chosen;
    try {
      chosen = candidates.coreset(bankSize, random, Runtime.getRuntime().availableProcessors(), (done, of) -> {
        if (done % CORESET_REPORT_EVERY == 0 || done == of) {
          try {
            reporter.checkCancelled();
          } catch (InterruptedException e) {
            throw new CoresetInterrupted(e);
          }
          reporter.progress("coreset", done, of, Double.NaN);
        }
      });
    } catch (CoresetInterrupted e) {
      throw e.interruption;
    }
    int dimension = candidates.featureDimension();
    NDArray bankRows = modelManager.create(candidates.features(chosen), new Shape(chosen.length, dimension));
    SearchProjection projection = null;
    if (parameters.projectsSearch(dimension)) {
      // Fitted on all candidates the greedy chose from: the spread of the good patches, not only the bank's.
      projection = SearchProjection.fit(candidates.allFeatures(), dimension, parameters.searchDimension());
      NDArray projected = projection.apply(bankRows);
      bankRows.close();
      bankRows = projected;
      LOG.info("PatchCore search on {} of {} principal components ({}% of the variance)", projection.outputs(),
          dimension, Math.round(1000 * projection.keptVariance()) / 10.0);
    }
    if (parameters.precision() == MemoryBank.Precision.FLOAT16) {
      // Score with the values the file will hold: calibration, and a reload, then agree exactly.
      NDArray half = bankRows.toType(DataType.FLOAT16, true);
      NDArray rounded = half.toType(DataType.FLOAT32, true);
      half.close();
      bankRows.close();
      bankRows = rounded;
    }
    MemoryBank bank = new MemoryBank(bankRows, modelManager.newSubManager(), MemoryBank.DEFAULT_BLOCK_ROWS);
    double coresetSeconds = (System.nanoTime() - coresetStart) / 1e9;
    LOG.info("PatchCore coreset: {} of {} candidate patches ({} extracted, {} values each) in {} s", bank.size(), count,
        total, bank.dimension(), Math.round(coresetSeconds));
    return new Fit(bank, projection, dimension, total, count, 0, coresetSeconds);
  }

  /** All patch rows of the images, (images * cells, D), for the benchmark that tries several banks on one extraction. */
  NDArray extract(PatchCoreFeatures features, List<Image> images, NDManager into) throws InterruptedException {
    NDList batches = new NDList();
    for (int start = 0; start < images.size(); start += parameters.batchSize()) {
      reporter.checkCancelled();
      int end = Math.min(images.size(), start + parameters.batchSize());
      try (NDManager scope = into.newSubManager()) {
        NDArray rows = PatchCoreFeatures.rows(features.channelsFirst(features.input(scope, images.subList(start, end))));
        rows.attach(into);
        batches.add(rows);
      }
      reporter.progress("features", end, images.size(), Double.NaN);
    }
    if (batches.size() == 1) {
      return batches.get(0);
    }
    NDArray all = NDArrays.concat(batches, 0);
    batches.close(); // the concatenation is a copy
    return all;
  }

  /** {@code count} distinct indices below {@code total}, ascending (a partial Fisher-Yates shuffle). */
  static int[] sample(int total, int count, Random random) {
    int[] indices = new int[total];
    for (int i = 0; i < total; i++) {
      indices[i] = i;
    }
    for (int i = 0; i < count; i++) {
      int j = i + random.nextInt(total - i);
      int swap = indices[i];
      indices[i] = indices[j];
      indices[j] = swap;
    }
    int[] chosen = Arrays.copyOf(indices, count);
    Arrays.sort(chosen);
    return chosen;
  }

  /** Carries an interruption out of the coreset's progress callback. */
  private static final class CoresetInterrupted extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient InterruptedException interruption;

    CoresetInterrupted(InterruptedException interruption) {
      super(interruption);
      this.interruption = interruption;
    }
  }
}
