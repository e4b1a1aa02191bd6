package io.vigil.detector.patchcore.internal;

import static io.vigil.detector.common.testing.DetectorTestSupport.surface;
import static io.vigil.detector.common.testing.DetectorTestSupport.withSquare;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.image.Image;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.detector.common.testing.LiveArrays;
import io.vigil.djl.DeepLearningEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A tiny fit on MobileNetV2 (weights from ../shared/models): save, load, precision, cancel. */
class PatchCoreFitTest {
  private static DeepLearningEngine engine;
  private static BackboneFactory mobileNet;
  private static List<Image> good;

  @BeforeAll
  static void start() {
    engine = DetectorTestSupport.engine();
    mobileNet = DetectorTestSupport.mobileNetV2(engine);
    good = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      good.add(surface(72, 56, i));
    }
  }

  @Test
  void aSavedModelScoresExactlyAsTheFittedOneAndFlagsADefect(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("tiles");
    List<String> phases = new ArrayList<>();
    TrainingMonitor monitor = (TrainingProgress p) -> {
      if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(p.phase())) {
        phases.add(p.phase());
      }
    };
    Image part = surface(72, 56, 99);
    Image flawed = withSquare(part, 30, 20, 12);
    // The features searched as they are (the principal components have a test of their own below).
    try (PatchCoreDetector fitted = fit(Map.of("search.dimension", 0), directory, monitor)) {
      assertEquals(List.of("reading", "features", "coreset", "calibration"), phases);
      PatchCoreMetadata.FitSummary summary = fitted.metadata().fit();
      assertEquals(11, summary.images(), "one of 12 held out for calibration");
      assertEquals(11 * 64, summary.patches(), "an 8x8 grid per 64 px image at the finest tap's stride 8");
      assertEquals(11 * 32, summary.candidates(), "the first stage keeps half of each image's 64 patches");
      assertEquals((int) Math.ceil(0.1 * summary.candidates()), summary.bankSize());
      assertEquals(128, summary.featureDimension(), "block_5_output (32) + block_12_output (96), every channel kept");
      // The benchmark's operation count: one augmented row (128 + 1) against every bank entry per patch.
      assertEquals(2L * summary.bankSize() * 129, fitted.headFlopsPerCell());
      assertEquals(List.of("block_5_output", "block_12_output"), fitted.taps());
      assertEquals(64, fitted.inputSize());
      Detection clean = fitted.detect(part);
      Detection defect = fitted.detect(flawed);
      assertEquals(72, clean.map().width());
      assertEquals(56, clean.map().height());
      assertTrue(defect.rawScore() > 1.5 * clean.rawScore(), defect.rawScore() + " vs " + clean.rawScore());
      try (PatchCoreDetector loaded = models().load(directory, null, null)) {
        assertEquals("tiles", loaded.name());
        assertEquals(fitted.calibration(), loaded.calibration());
        assertEquals(clean.rawScore(), loaded.detect(part).rawScore(), 0);
        assertEquals(defect.rawScore(), loaded.detect(flawed).rawScore(), 0);
        float[] a = clean.map().values();
        float[] b = loaded.detect(part).map().values();
        for (int i = 0; i < a.length; i++) {
          assertEquals(a[i], b[i], 0, "map value " + i);
        }
      }
      // The search compiled with the backbone into one graph (the default) against the blocked
      // matrix products of the layer-by-layer path: the same distances within 1e-4 of their range.
      assertLayerByLayerAgrees(directory, Map.of(part, clean, flawed, defect));
    }
  }

  /**
   * The search on 24 principal components of the 128 feature values: the bank holds 24 values per
   * entry, the projection is saved beside it, a reload scores exactly as fitted, the compiled graph
   * (projection as a 1x1 convolution) agrees with the layer-by-layer path, and the defect is found.
   */
  @Test
  void aProjectedSearchSavesLoadsAndCompilesAsFitted(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("projected");
    Image part = surface(72, 56, 99);
    Image flawed = withSquare(part, 30, 20, 12);
    try (PatchCoreDetector fitted = fit(Map.of("search.dimension", 24), directory, TrainingMonitor.NONE)) {
      PatchCoreMetadata.FitSummary summary = fitted.metadata().fit();
      assertEquals(128, summary.featureDimension());
      assertEquals(24, fitted.inference().bank().dimension());
      assertTrue(summary.searchVariance() > 0.5 && summary.searchVariance() < 1, "kept " + summary.searchVariance());
      assertEquals(2L * summary.bankSize() * 25 + 2L * 128 * 24, fitted.headFlopsPerCell());
      assertTrue(Files.exists(directory.resolve(PatchCoreMetadata.PROJECTION_FILE)));
      Detection clean = fitted.detect(part);
      Detection defect = fitted.detect(flawed);
      assertTrue(defect.rawScore() > 1.5 * clean.rawScore(), defect.rawScore() + " vs " + clean.rawScore());
      try (PatchCoreDetector loaded = models().load(directory, null, null)) {
        assertEquals(24, loaded.metadata().parameters().searchDimension());
        assertEquals(summary.searchVariance(), loaded.metadata().fit().searchVariance(), 0);
        assertEquals(clean.rawScore(), loaded.detect(part).rawScore(), 0);
        assertArrayEquals(defect.map().values(), loaded.detect(flawed).map().values(), 0f);
      }
      assertLayerByLayerAgrees(directory, Map.of(part, clean, flawed, defect));
    }
    byte[] projection = Files.readAllBytes(directory.resolve(PatchCoreMetadata.PROJECTION_FILE));
    projection[projection.length - 1] ^= 1;
    Files.write(directory.resolve(PatchCoreMetadata.PROJECTION_FILE), projection);
    ModelException e = assertThrows(ModelException.class, () -> models().load(directory, null, null));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  /**
   * A model written before the search projection and the score's own smoothing (no search.dimension
   * or image.sigma stored; the patch maximum, then the default) searches its features and scores as then.
   */
  @Test
  void aModelWithoutTheSearchDimensionLoadsAndScoresAsBefore(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("old");
    Image part = surface(72, 56, 99);
    double fittedScore;
    try (PatchCoreDetector fitted = fit(Map.of("search.dimension", 0, "image.score", "patch-max"), directory,
        TrainingMonitor.NONE)) {
      fittedScore = fitted.detect(part).rawScore();
    }
    Path document = directory.resolve(PatchCoreMetadata.FILE);
    String json = Files.readString(document);
    String old = json.replaceAll("\\s*\"search\\.dimension\": 0,", "").replaceAll("\\s*\"image\\.sigma\": [-0-9.]+,", "");
    assertTrue(old.length() < json.length() && !old.contains("search.dimension") && !old.contains("image.sigma"),
        "the keys are gone");
    Files.writeString(document, old);
    try (PatchCoreDetector loaded = models().load(directory, null, null)) {
      assertEquals(0, loaded.metadata().parameters().searchDimension());
      assertEquals(-1, loaded.metadata().parameters().imageSigma(), "the map's own maximum, as before the key");
      assertEquals(128, loaded.inference().bank().dimension());
      assertEquals(fittedScore, loaded.detect(part).rawScore(), 0);
    }
  }

  /**
   * With map-max and image.sigma, the image score is the maximum of the patch scores resampled to
   * the input size at that smoothing: for an image at the input size and the map's own sigma, the
   * map's maximum; at a smaller sigma, a larger one (less averaged); and a reload scores the same.
   */
  @Test
  void theImageScoreCanTakeItsOwnSmoothing(@TempDir Path temp) throws Exception {
    Image part = withSquare(surface(64, 64, 99), 30, 20, 12);
    try (PatchCoreDetector own = fit(Map.of("image.score", "map-max", "image.sigma", 16, "smoothing.sigma", 16),
            temp.resolve("own"), TrainingMonitor.NONE);
        PatchCoreDetector sharp = fit(Map.of("image.score", "map-max", "image.sigma", 1, "smoothing.sigma", 16),
            temp.resolve("sharp"), TrainingMonitor.NONE)) {
      Detection detection = own.detect(part);
      assertEquals(detection.map().max(), detection.rawScore(), 1e-5 * detection.map().max());
      Detection sharper = sharp.detect(part);
      assertArrayEquals(detection.map().values(), sharper.map().values(), "the map keeps smoothing.sigma");
      assertTrue(sharper.rawScore() > detection.rawScore() * 1.001,
          sharper.rawScore() + " at sigma 1 against " + detection.rawScore() + " at 16");
      try (PatchCoreDetector loaded = models().load(temp.resolve("sharp"), null, null)) {
        assertEquals(1, loaded.metadata().parameters().imageSigma());
        assertEquals(sharper.rawScore(), loaded.detect(part).rawScore(), 0);
      }
    }
  }

  /** float16 storage: half the file, scores within 1e-3 of float32, and a reload still scores exactly as fitted. */
  @Test
  void float16BanksScoreWithinAThousandth(@TempDir Path temp) throws Exception {
    Image part = surface(72, 56, 99);
    Image flawed = withSquare(part, 30, 20, 12);
    // On the features themselves: on 64 principal components, whose leading values are larger, the
    // float16 rounding moved this model's score by 2.6e-3 (README, PatchCore's model directory).
    try (PatchCoreDetector full = fit(Map.of("search.dimension", 0), temp.resolve("full"), TrainingMonitor.NONE);
        PatchCoreDetector half = fit(Map.of("bank.precision", "float16", "search.dimension", 0), temp.resolve("half"),
            TrainingMonitor.NONE)) {
      long fullBytes = Files.size(temp.resolve("full/bank.bin"));
      long halfBytes = Files.size(temp.resolve("half/bank.bin"));
      assertEquals(fullBytes - 20, 2 * (halfBytes - 20), "float16 values take half the bytes after the header");
      for (Image image : List.of(part, flawed)) {
        double a = full.detect(image).rawScore();
        double b = half.detect(image).rawScore();
        assertEquals(a, b, 1e-3);
        try (PatchCoreDetector loaded = models().load(temp.resolve("half"), null, null)) {
          assertEquals(b, loaded.detect(image).rawScore(), 0);
        }
      }
    }
  }

  @Test
  void cancellingDuringTheCoresetLeavesNoModel(@TempDir Path temp) {
    Path directory = temp.resolve("cancelled");
    TrainingMonitor cancelInCoreset = new TrainingMonitor() {
      private volatile boolean coreset;

      @Override
      public void progress(TrainingProgress progress) {
        coreset |= progress.phase().equals("coreset");
      }

      @Override
      public boolean isCancelled() {
        return coreset;
      }
    };
    // 64 points per progress report: a bank large enough to report at least once before the end.
    assertThrows(CancellationException.class,
        () -> fit(Map.of("coreset.size", 150), directory, cancelInCoreset));
    assertFalse(Files.exists(directory));
  }

  @Test
  void unknownParametersAreRefusedAndOtherDetectorsEpochsIgnored() throws Exception {
    TrainingException e = assertThrows(TrainingException.class,
        () -> PatchCoreParameters.defaults().with(Map.of("coreset.shrae", 0.1)));
    assertTrue(e.getMessage().contains("coreset.shrae"));
    assertEquals(PatchCoreParameters.defaults(), PatchCoreParameters.defaults().with(Map.of("epochs", 4)));
    assertThrows(TrainingException.class, () -> PatchCoreParameters.defaults().with(Map.of("coreset.share", 0)));
    PatchCoreParameters p = PatchCoreParameters.defaults().with(Map.of("reweighting", "true", "coreset.size", "500"));
    assertTrue(p.reweighting());
    assertEquals(500, p.bankSize(100_000));
    assertEquals(80, p.bankSize(80));
    assertEquals(p, PatchCoreParameters.defaults().with(p.toMap()), "the stored form reads back the same");
  }

  /** Unset smoothings scale with the input size (chosen at 224 px); set ones are kept as pixels. */
  @Test
  void aFitsSmoothingsScaleWithTheInputSizeUnlessSet() throws Exception {
    PatchCoreParameters at224 = PatchCoreParameters.forFit(Map.of());
    assertEquals(PatchCoreParameters.defaults(), at224);
    assertEquals(16, at224.smoothingSigma());
    assertEquals(4, at224.imageSigma());
    PatchCoreParameters at112 = PatchCoreParameters.forFit(Map.of("input.size", 112, "epochs", 3));
    assertEquals(8, at112.smoothingSigma(), 1e-12);
    assertEquals(2, at112.imageSigma(), 1e-12);
    PatchCoreParameters set = PatchCoreParameters.forFit(Map.of("input.size", "112", "smoothing.sigma", "5"));
    assertEquals(5, set.smoothingSigma());
    assertEquals(2, set.imageSigma(), 1e-12);
    assertEquals(set, PatchCoreParameters.defaults().with(set.toMap()), "a stored model reads back unscaled");
  }

  @Test
  void aDamagedBankIsRefused(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("damaged");
    fit(Map.of(), directory, TrainingMonitor.NONE).close();
    byte[] bank = Files.readAllBytes(directory.resolve("bank.bin"));
    bank[bank.length - 1] ^= 1;
    Files.write(directory.resolve("bank.bin"), bank);
    ModelException e = assertThrows(ModelException.class, () -> models().load(directory, null, null));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  /**
   * Arrays on the whole engine: a fit leaves as many on its open model whatever the number of images
   * (nothing per image or per coreset step), 1,000 frames scored in batches of 1 to 4 leave none, and
   * the closed model leaves none.
   */
  @Test
  void aFitAndAThousandScoredFramesLeaveNoArraysOnTheEngine(@TempDir Path temp) throws Exception {
    long before = LiveArrays.count(engine);
    long[] held = new long[2];
    for (int run = 0; run < 2; run++) {
      List<Image> images = good.subList(0, run == 0 ? 4 : 12);
      PatchCoreParameters p = PatchCoreParameters.defaults().with(Map.of("input.size", 64, "candidate.share", 0.5));
      Path directory = temp.resolve("arrays-" + run);
      try (PatchCoreDetector fitted = new PatchCoreTrainer(p, TrainingMonitor.NONE).train(
          DetectorTestSupport.source("arrays", images), mobileNet.load(null), engine.newManager(), directory, "arrays")) {
        held[run] = LiveArrays.count(engine) - before;
        if (run == 1) {
          assertEquals(0, LiveArrays.growthFromScoring(engine, fitted, good, 1000), "arrays left by 1,000 scored frames");
        }
      }
    }
    assertEquals(held[0], held[1], "arrays held by a model fitted on 4 and on 12 images");
    assertEquals(before, LiveArrays.count(engine), "arrays left on the engine by two fits and their closed models");
  }

  /**
   * A freshly fitted model holds what the same model loaded from disk holds, both warmed at batches
   * of 1 to 8: the fit's feature graph is not kept (it once stayed cached in the backbone).
   */
  @Test
  void aFittedModelHoldsWhatTheSameModelLoadedHolds(@TempDir Path temp) throws Exception {
    for (int searchDimension : new int[] {0, 24}) {
      holdsWhatTheSameModelLoadedHolds(temp.resolve("held-" + searchDimension), searchDimension);
    }
  }

  private void holdsWhatTheSameModelLoadedHolds(Path directory, int searchDimension) throws Exception {
    PatchCoreParameters p = PatchCoreParameters.defaults()
        .with(Map.of("input.size", 64, "candidate.share", 0.5, "search.dimension", searchDimension));
    long before = LiveArrays.count(engine);
    long fittedHeld;
    try (PatchCoreDetector fitted = new PatchCoreTrainer(p, TrainingMonitor.NONE).train(
        DetectorTestSupport.source("held", good.subList(0, 8)), mobileNet.load(null), engine.newManager(), directory,
        "held")) {
      warm(fitted);
      fittedHeld = LiveArrays.count(engine) - before;
    }
    long loadedHeld;
    try (PatchCoreDetector loaded = models().load(directory, null, null)) {
      warm(loaded);
      loadedHeld = LiveArrays.count(engine) - before;
    }
    assertEquals(loadedHeld, fittedHeld,
        "arrays held by the fitted model and by the same model loaded, search.dimension " + searchDimension);
  }

  private void warm(PatchCoreDetector detector) throws Exception {
    for (int batch = 1; batch <= 8; batch++) {
      detector.detect(good.subList(0, batch));
    }
  }

  private static PatchCoreDetector fit(Map<String, Object> overrides, Path directory, TrainingMonitor monitor)
      throws Exception {
    // An 8x8 grid per image: the first stage keeps half of it, so the bank is not a handful of patches.
    Map<String, Object> settings = new HashMap<>(Map.of("input.size", 64, "candidate.share", 0.5));
    settings.putAll(overrides);
    PatchCoreParameters p = PatchCoreParameters.defaults().with(settings);
    return new PatchCoreTrainer(p, monitor).train(DetectorTestSupport.source("surfaces", good), mobileNet.load(null),
        engine.newManager(), directory, directory.getFileName().toString());
  }

  private static PatchCoreModels models() {
    return new PatchCoreModels(engine, () -> List.of(mobileNet));
  }

  /**
   * The saved model in {@code directory} loaded layer by layer (blocked matrix products) scores
   * each image as the compiled graph did: the same distances within 1e-4 of their range.
   */
  private void assertLayerByLayerAgrees(Path directory, Map<Image, Detection> compiledByImage) throws Exception {
    PatchCoreModels layerByLayer =
        new PatchCoreModels(engine, () -> List.of(DetectorTestSupport.mobileNetV2(engine, "layers")));
    try (PatchCoreDetector reference = layerByLayer.load(directory, null, null)) {
      for (Map.Entry<Image, Detection> entry : compiledByImage.entrySet()) {
        Detection expected = reference.detect(entry.getKey());
        float[] e = expected.map().values();
        float[] c = entry.getValue().map().values();
        double range = expected.map().max();
        for (int i = 0; i < e.length; i++) {
          assertEquals(e[i], c[i], 1e-4 * range, "map value " + i);
        }
        assertEquals(expected.rawScore(), entry.getValue().rawScore(), 1e-4 * range);
      }
    }
  }
}
