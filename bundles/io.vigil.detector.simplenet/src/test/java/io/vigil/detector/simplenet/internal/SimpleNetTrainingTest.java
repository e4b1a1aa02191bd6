package io.vigil.detector.simplenet.internal;

import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.detector.common.testing.LiveArrays;

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
import io.vigil.api.source.ImageSource;
import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training a tiny model on synthetic surfaces with the real MobileNetV2, outside OSGi. */
class SimpleNetTrainingTest {
  private static final Map<String, Object> TINY = Map.of("input.size", 64, "epochs", 2, "batch.size", 4, "diagnostic.patches", 2000);
  private static DeepLearningEngine engine;
  private static SimpleNetModels models;
  private static List<Image> good;

  @TempDir Path temp;

  @BeforeAll
  static void wire() {
    engine = DetectorTestSupport.engine();
    BackboneFactory mobileNet = DetectorTestSupport.mobileNetV2(engine);
    models = new SimpleNetModels(engine, () -> List.of(mobileNet));
    good = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      good.add(DetectorTestSupport.surface(80, 60, i));
    }
  }

  private SimpleNetDetector train(Path directory, TrainingMonitor monitor) throws Exception {
    SimpleNetParameters parameters = SimpleNetParameters.defaults().with(TINY);
    SimpleNetTrainer trainer = new SimpleNetTrainer(engine.engine(), parameters, monitor);
    return trainer.train(DetectorTestSupport.source("surfaces", good), models.backbone("mobilenet_v2", null),
        engine.newManager(), directory, "tiny");
  }

  @Test
  void trainsSavesAndReloadsToIdenticalScores() throws Exception {
    List<TrainingProgress> progress = new ArrayList<>();
    Path directory = temp.resolve("models/tiny");
    try (SimpleNetDetector trained = train(directory, progress::add)) {
      assertTrue(Files.isRegularFile(directory.resolve("model.json")));
      assertTrue(Files.isRegularFile(directory.resolve("weights.djl")));
      assertEquals(List.of("tiny"), Files.list(temp.resolve("models")).map(p -> p.getFileName().toString()).toList(),
          "no partial directory left beside the model");

      ModelMetadata metadata = trained.metadata();
      assertEquals("mobilenet_v2", metadata.backboneName());
      assertEquals(64, metadata.parameters().inputSize());
      assertEquals(11, metadata.training().images(), "12 images, 1 held out for calibration");
      assertEquals(2, metadata.training().epochLosses().size());
      assertEquals(1, metadata.holdoutScores().size());
      // Standardised embedding (the default): stored with the model, one mean and scale per dimension.
      assertEquals(metadata.embeddingDimension(), metadata.standardization().mean().length);
      // The benchmark's operation count: the default taps' 32 + 96 channels into the hidden layer and out.
      long hidden = metadata.parameters().discriminatorHidden();
      assertEquals(2L * (32 + 96) * hidden + 2L * hidden, trained.headFlopsPerCell());
      assertTrue(metadata.training().noiseStd() > 0, "noise set from the features' spread");
      assertTrue(metadata.training().noiseRule().contains("mean per-dimension std"), metadata.training().noiseRule());
      // Validated at least once (the last step), the kept step among the validated ones.
      assertFalse(metadata.training().validation().isEmpty());
      assertTrue(metadata.training().validation().stream().anyMatch(c -> c.step() == metadata.training().bestStep()));
      assertTrue(metadata.training().ceiling() != null, "nearest-neighbour ceiling measured");
      assertTrue(progress.stream().anyMatch(p -> p.phase().equals("epoch 2/2") && p.step() == p.totalSteps()));
      assertTrue(progress.stream().anyMatch(p -> p.phase().equals("features")));

      Image part = DetectorTestSupport.withSquare(DetectorTestSupport.surface(80, 60, 99), 30, 20, 12, 10);
      Detection before = trained.detect(part);
      assertEquals(80, before.map().width());
      assertEquals(60, before.map().height());
      assertEquals(before.map().max(), before.rawScore(), 0);

      try (SimpleNetDetector loaded = models.load(directory, null, null)) {
        Detection after = loaded.detect(part);
        assertArrayEquals(before.map().values(), after.map().values(), 1e-5f);
        assertEquals(before.rawScore(), after.rawScore(), 1e-5);
        assertEquals(before.decision(), after.decision());
        assertEquals("tiny", loaded.name());
        assertArrayEquals(metadata.standardization().mean(), loaded.metadata().standardization().mean(), 0f);
        assertArrayEquals(metadata.standardization().scale(), loaded.metadata().standardization().scale(), 0f);
      }

      // The backbone as one compiled graph (the default) scores as the DJL blocks run one by one.
      SimpleNetModels layerByLayer = new SimpleNetModels(engine, () -> List.of(DetectorTestSupport.mobileNetV2(engine, "layers")));
      try (SimpleNetDetector reference = layerByLayer.load(directory, null, null)) {
        Detection expected = reference.detect(part);
        assertArrayEquals(expected.map().values(), before.map().values(), 1e-4f);
        assertEquals(expected.rawScore(), before.rawScore(), 1e-4);
      }
    }
  }

  /**
   * Native arrays live on the model's manager until the model closes: whatever a training step or
   * a scored image leaves there grows with steps and images. Two trainings, one with three times
   * the images and epochs, leave the same number of arrays; scoring 16 more images leaves none.
   */
  /**
   * The whole engine, not only the model's manager: a training run, then 1,000 frames scored in
   * batches of 1 to 4 as the station scores them, leave no array behind once the model is closed.
   */
  @Test
  void aTrainingRunAndAThousandScoredFramesLeaveNoArraysOnTheEngine() throws Exception {
    long before = LiveArrays.count(engine);
    long trainedHolds;
    try (SimpleNetDetector trained = train(temp.resolve("arrays"), TrainingMonitor.NONE)) {
      assertEquals(0, LiveArrays.growthFromScoring(engine, trained, good, 1000), "arrays left by 1,000 scored frames");
      LiveArrays.warmBatches(trained, good, 8); // the same compiled plans as the loaded model below
      trainedHolds = LiveArrays.count(engine) - before;
    }
    assertEquals(before, LiveArrays.count(engine), "arrays left on the engine by a training run and its closed model");
    try (SimpleNetDetector loaded = models.load(temp.resolve("arrays"), null, null)) {
      LiveArrays.warmBatches(loaded, good, 8);
      assertEquals(LiveArrays.count(engine) - before, trainedHolds,
          "the trained model holds what the same model loaded from disk holds (no gradients, optimizer state or "
              + "fold intermediates kept)");
    }
  }

  @Test
  void neitherTrainingStepsNorScoredImagesLeaveArraysOnTheModelsManager() throws Exception {
    long[] left = new long[2];
    long[] onEngine = new long[2];
    long engineBefore = LiveArrays.count(engine);
    int[] scale = {1, 3};
    for (int run = 0; run < 2; run++) {
      List<Image> images = new ArrayList<>();
      for (int i = 0; i < 8 * scale[run]; i++) {
        images.add(DetectorTestSupport.surface(80, 60, 200 + i));
      }
      SimpleNetParameters parameters = SimpleNetParameters.defaults()
          .with(Map.of("input.size", 64, "epochs", scale[run], "batch.size", 4, "validation.every", 2));
      ai.djl.ndarray.NDManager manager = engine.newManager();
      try (SimpleNetDetector trained = new SimpleNetTrainer(engine.engine(), parameters, TrainingMonitor.NONE)
          .train(DetectorTestSupport.source("leak-" + run, images), models.backbone("mobilenet_v2", null), manager,
              temp.resolve("leak-" + run), "leak")) {
        left[run] = manager.getManagedArrays().size();
        onEngine[run] = LiveArrays.count(engine) - engineBefore;
        trained.detect(images.subList(0, 3)); // compiles the graph, plans batch 3
        long beforeScoring = manager.getManagedArrays().size();
        for (int i = 0; i < 4; i++) {
          trained.detect(images.subList(i, i + 3));
          trained.detect(images.get(i));
          trained.detect(images.get(i + 1));
        }
        assertEquals(beforeScoring, manager.getManagedArrays().size(), "arrays left by scoring 20 more images");
      }
    }
    assertEquals(left[0], left[1], "arrays on the model's manager after 8 images x 1 epoch and 24 images x 3 epochs");
    assertEquals(onEngine[0], onEngine[1], "arrays on the whole engine after 8 images x 1 epoch and 24 images x 3 epochs");
    assertEquals(engineBefore, LiveArrays.count(engine), "arrays left on the engine once both models are closed");
  }

  @Test
  void cancellingLeavesNoModel() {
    Path directory = temp.resolve("cancelled");
    TrainingMonitor cancelInEpochs = new TrainingMonitor() {
      private boolean inEpochs;

      @Override
      public void progress(TrainingProgress p) {
        inEpochs |= p.phase().startsWith("epoch");
      }

      @Override
      public boolean isCancelled() {
        return inEpochs;
      }
    };
    assertThrows(CancellationException.class, () -> train(directory, cancelInEpochs));
    assertFalse(Files.exists(directory));
    assertTrue(temp.toFile().list().length == 0, "nothing written: " + List.of(temp.toFile().list()));
  }

  @Test
  void anExistingModelIsNeverOverwritten() throws Exception {
    Path directory = Files.createDirectories(temp.resolve("taken"));
    Files.writeString(directory.resolve("notes.txt"), "keep me");
    TrainingException e = assertThrows(TrainingException.class, () -> train(directory, TrainingMonitor.NONE));
    assertTrue(e.getMessage().contains("not empty"), e.getMessage());
    assertEquals("keep me", Files.readString(directory.resolve("notes.txt")));
  }

  @Test
  void aModelFromOtherBackboneWeightsOrAnotherFormatIsRefused() throws Exception {
    Path directory = temp.resolve("model");
    train(directory, TrainingMonitor.NONE).close();
    Path document = directory.resolve("model.json");
    String json = Files.readString(document, StandardCharsets.UTF_8);

    String sha = models.backbone("mobilenet_v2", null).weightsSha256();
    Files.writeString(document, json.replace(sha, "0".repeat(64)));
    ModelException wrongBackbone = assertThrows(ModelException.class, () -> models.load(directory, null, null));
    assertTrue(wrongBackbone.getMessage().contains("was trained on mobilenet_v2 weights with sha256 " + "0".repeat(64)),
        wrongBackbone.getMessage());

    Files.writeString(document, json.replace("\"formatVersion\": 2", "\"formatVersion\": 99"));
    ModelException newer = assertThrows(ModelException.class, () -> models.load(directory, null, null));
    assertTrue(newer.getMessage().contains("model format version 99"), newer.getMessage());

    Files.writeString(document, json);
    Files.write(directory.resolve("weights.djl"), new byte[] {1, 2, 3});
    ModelException damaged = assertThrows(ModelException.class, () -> models.load(directory, null, null));
    assertTrue(damaged.getMessage().contains("changed or damaged"), damaged.getMessage());
  }

  @Test
  void unknownParametersAreRefused() {
    TrainingException e = assertThrows(TrainingException.class,
        () -> SimpleNetParameters.defaults().with(Map.of("epoch", 3)));
    assertTrue(e.getMessage().contains("unknown SimpleNet parameter 'epoch'"), e.getMessage());
    assertThrows(TrainingException.class, () -> SimpleNetParameters.defaults().with(Map.of("input.size", 100)));
  }
}
