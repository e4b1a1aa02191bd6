package io.vigil.detector.efficientad.internal;

import static io.vigil.detector.common.testing.DetectorTestSupport.surface;
import static io.vigil.detector.common.testing.DetectorTestSupport.withSquare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.ModelException;
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

/** A tiny training on MobileNetV2 (weights from ../shared/models): phases, save and load, cancel, damage. */
class EfficientAdTrainingTest {
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
  void aSavedModelScoresAsTheTrainedOneAndTheCurveIsRecorded(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("tiles");
    List<String> phases = new ArrayList<>();
    TrainingMonitor monitor = (TrainingProgress p) -> {
      String phase = p.phase().startsWith("validation at") ? "validation" : p.phase();
      if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(phase)) {
        phases.add(phase);
      }
    };
    Image part = surface(72, 56, 99);
    Image flawed = withSquare(part, 30, 20, 12);
    try (EfficientAdDetector trained = train(Map.of(), directory, monitor)) {
      assertEquals("reading", phases.get(0));
      assertEquals(List.of("features", "teacher", "validation features", "training", "validation"), phases.subList(1, 6));
      assertEquals("calibration", phases.get(phases.size() - 1));
      EfficientAdMetadata.TrainingSummary summary = trained.metadata().training();
      assertEquals(11, summary.images(), "one of 12 held out");
      assertEquals(20, summary.steps());
      assertEquals(List.of(4, 8, 12, 16, 20), summary.checkpoints().stream().map(c -> c.step()).toList(),
          "validated after every fifth of the steps");
      assertTrue(summary.checkpoints().stream().anyMatch(c -> c.step() == summary.bestStep()));
      Detection clean = trained.detect(part);
      Detection defect = trained.detect(flawed);
      assertEquals(72, clean.map().width());
      assertEquals(56, clean.map().height());
      assertTrue(defect.rawScore() > clean.rawScore(), defect.rawScore() + " vs " + clean.rawScore());
      try (EfficientAdDetector loaded = models().load(directory, null, null)) {
        assertEquals("tiles", loaded.name());
        assertEquals(trained.calibration(), loaded.calibration());
        assertEquals(trained.metadata().maps(), loaded.metadata().maps());
        for (Image image : List.of(part, flawed)) {
          Detection a = trained.detect(image);
          Detection b = loaded.detect(image);
          assertEquals(a.rawScore(), b.rawScore(), 1e-5);
          float[] x = a.map().values();
          float[] y = b.map().values();
          for (int i = 0; i < x.length; i++) {
            assertEquals(x[i], y[i], 1e-5, "map value " + i);
          }
        }
      }
    }
  }

  @Test
  void snapshotsAreCompleteModelsOfEachValidatedStep(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("curve");
    Image part = surface(72, 56, 98);
    Image flawed = withSquare(part, 20, 24, 12);
    try (EfficientAdDetector trained = train(Map.of("steps", 6, "validations", 3, "snapshots", true), directory,
        TrainingMonitor.NONE)) {
      EfficientAdMetadata.TrainingSummary summary = trained.metadata().training();
      for (int step : List.of(2, 4, 6)) {
        Path snapshot = EfficientAdTrainer.snapshotDirectory(directory, step);
        try (EfficientAdDetector loaded = models().load(snapshot, null, null)) {
          assertEquals(step, loaded.metadata().training().steps());
          assertEquals(step / 2, loaded.metadata().training().checkpoints().size(), "the curve up to its step");
          if (step == summary.bestStep()) {
            // The kept networks are the best step's: its snapshot scores as the model does.
            assertEquals(trained.calibration(), loaded.calibration());
            for (Image image : List.of(part, flawed)) {
              assertEquals(trained.detect(image).rawScore(), loaded.detect(image).rawScore(), 1e-5);
            }
          }
        }
      }
      assertEquals(temp.resolve("curve.steps"), EfficientAdTrainer.snapshotDirectory(directory, 2).getParent());
      try (var listed = Files.list(temp.resolve("curve.steps"))) {
        assertEquals(3, listed.count());
      }
    }
  }

  @Test
  void aDistilledTeacherIsTrainedFirstAndSavedWithTheModel(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("distilled");
    List<String> phases = new ArrayList<>();
    TrainingMonitor monitor = p -> {
      if (phases.isEmpty() || !phases.get(phases.size() - 1).equals(p.phase())) {
        phases.add(p.phase());
      }
    };
    Image part = surface(72, 56, 97);
    Image flawed = withSquare(part, 30, 20, 12);
    try (EfficientAdDetector trained = train(Map.of("teacher", "distilled", "teacher.channels", 8,
        "distillation.steps", 6, "steps", 4, "validations", 1), directory, monitor)) {
      assertTrue(phases.indexOf("distillation") > phases.indexOf("teacher"), phases.toString());
      assertTrue(phases.indexOf("distillation") < phases.indexOf("training"), phases.toString());
      try (EfficientAdDetector backboneTeacher = train(Map.of("steps", 4, "validations", 1), temp.resolve("direct"),
          TrainingMonitor.NONE)) {
        assertTrue(trained.headFlopsPerCell() > backboneTeacher.headFlopsPerCell(), "the teacher PDN is in the head");
      }
      try (EfficientAdDetector loaded = models().load(directory, null, null)) {
        assertEquals("distilled", loaded.metadata().parameters().teacher());
        for (Image image : List.of(part, flawed)) {
          assertEquals(trained.detect(image).rawScore(), loaded.detect(image).rawScore(), 1e-5);
        }
      }
    }
  }

  /**
   * The paper's penalty on generic images: a folder of pictures without the product (here three
   * noise images) is read, the student trains with the penalty, and the saved model scores as the
   * trained one, here with the student-teacher map alone (which loading must apply too: the
   * combined map scores otherwise); a folder that does not exist is refused before training.
   */
  @Test
  void aPenaltyOnGenericImagesTrainsAndSavesAsAnyModel(@TempDir Path temp) throws Exception {
    Path generic = Files.createDirectories(temp.resolve("generic"));
    java.util.Random random = new java.util.Random(5);
    for (int i = 0; i < 3; i++) {
      java.awt.image.BufferedImage noise = new java.awt.image.BufferedImage(40 + 10 * i, 50,
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < noise.getHeight(); y++) {
        for (int x = 0; x < noise.getWidth(); x++) {
          noise.setRGB(x, y, random.nextInt(1 << 24));
        }
      }
      javax.imageio.ImageIO.write(noise, "png", generic.resolve("noise-" + i + ".png").toFile());
    }
    Path directory = temp.resolve("penalised");
    Image part = surface(72, 56, 96);
    Image flawed = withSquare(part, 30, 20, 12);
    try (EfficientAdDetector trained = train(Map.of("penalty.images", generic.toString(), "steps", 4,
        "validations", 1, "map.parts", "student-teacher"), directory, TrainingMonitor.NONE)) {
      assertEquals(generic.toString(), trained.metadata().parameters().penaltyImages());
      assertEquals("student-teacher", trained.metadata().parameters().mapParts());
      try (EfficientAdDetector loaded = models().load(directory, null, null)) {
        for (Image image : List.of(part, flawed)) {
          assertEquals(trained.detect(image).rawScore(), loaded.detect(image).rawScore(), 1e-5);
        }
      }
    }
    io.vigil.api.detector.TrainingException e = assertThrows(io.vigil.api.detector.TrainingException.class,
        () -> train(Map.of("penalty.images", temp.resolve("none").toString(), "steps", 2, "validations", 1),
            temp.resolve("refused"), TrainingMonitor.NONE));
    assertTrue(e.getMessage().contains("penalty.images"), e.getMessage());
  }

  @Test
  void cancellingDuringTrainingLeavesNoModel(@TempDir Path temp) {
    Path directory = temp.resolve("cancelled");
    TrainingMonitor cancelInTraining = new TrainingMonitor() {
      private volatile boolean training;

      @Override
      public void progress(TrainingProgress progress) {
        training |= progress.phase().equals("training");
      }

      @Override
      public boolean isCancelled() {
        return training;
      }
    };
    assertThrows(CancellationException.class, () -> train(Map.of(), directory, cancelInTraining));
    assertFalse(Files.exists(directory));
  }

  @Test
  void damagedWeightsAreRefused(@TempDir Path temp) throws Exception {
    Path directory = temp.resolve("damaged");
    train(Map.of("steps", 2, "validations", 1), directory, TrainingMonitor.NONE).close();
    byte[] weights = Files.readAllBytes(directory.resolve(EfficientAdMetadata.WEIGHTS_FILE));
    weights[weights.length - 1] ^= 1;
    Files.write(directory.resolve(EfficientAdMetadata.WEIGHTS_FILE), weights);
    ModelException e = assertThrows(ModelException.class, () -> models().load(directory, null, null));
    assertTrue(e.getMessage().contains("does not match"), e.getMessage());
  }

  /**
   * Arrays on the whole engine: a training of 30 steps leaves as many on its open model as one of 10
   * (gradient handles, optimizer state and validation intermediates freed step by step), 1,000 frames
   * scored in batches of 1 to 4 leave none, and the closed model leaves none.
   */
  @Test
  void aTrainingRunAndAThousandScoredFramesLeaveNoArraysOnTheEngine(@TempDir Path temp) throws Exception {
    long before = LiveArrays.count(engine);
    long[] held = new long[2];
    for (int run = 0; run < 2; run++) {
      try (EfficientAdDetector trained = train(Map.of("steps", run == 0 ? 10 : 30), temp.resolve("arrays-" + run),
          TrainingMonitor.NONE)) {
        held[run] = LiveArrays.count(engine) - before;
        if (run == 1) {
          assertEquals(0, LiveArrays.growthFromScoring(engine, trained, good, 1000), "arrays left by 1,000 scored frames");
        }
      }
    }
    assertEquals(held[0], held[1], "arrays held by a model trained 10 and 30 steps");
    assertEquals(before, LiveArrays.count(engine), "arrays left on the engine by two trainings and their closed models");
  }

  private static EfficientAdDetector train(Map<String, Object> overrides, Path directory, TrainingMonitor monitor)
      throws Exception {
    Map<String, Object> settings = new HashMap<>(Map.of("input.size", 64, "steps", 20, "validations", 5,
        "batch.size", 4, "student.channels", 16, "autoencoder.channels", 8));
    settings.putAll(overrides);
    EfficientAdParameters p = EfficientAdParameters.defaults().with(settings);
    return new EfficientAdTrainer(engine.engine(), p, monitor).train(DetectorTestSupport.source("surfaces", good),
        mobileNet.load(null), engine.newManager(), directory, directory.getFileName().toString());
  }

  private static EfficientAdModels models() {
    return new EfficientAdModels(engine, () -> List.of(mobileNet));
  }
}
