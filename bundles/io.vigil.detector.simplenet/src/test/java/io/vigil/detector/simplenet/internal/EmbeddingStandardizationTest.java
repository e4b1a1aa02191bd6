package io.vigil.detector.simplenet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import org.junit.jupiter.api.Test;

class EmbeddingStandardizationTest {

  /**
   * Columns [1, 3] (mean 2, std 1), [10, 10] (std 0: floored to 0.1 x mean std = 0.1 x (1 + 0) / 2
   * = 0.05), worked out by hand.
   */
  @Test
  void meanAndScalePerDimensionWithAFloorForDeadDimensions() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      NDArray rows = manager.create(new float[] {1, 10, 3, 10}, new Shape(2, 2));
      EmbeddingStandardization s = EmbeddingStandardization.measure(rows);
      assertArrayEquals(new float[] {2, 10}, s.mean(), 1e-6f);
      assertArrayEquals(new float[] {1, 0.05f}, s.scale(), 1e-6f);
      assertArrayEquals(new float[] {-1, 0, 1, 0}, s.apply(rows).toFloatArray(), 1e-6f);
      NDArray maps = rows.transpose().reshape(1, 2, 1, 2); // channels first: the same two patches
      assertArrayEquals(new float[] {-1, 1, 0, 0}, s.applyChannelsFirst(maps).toFloatArray(), 1e-6f);
      // Training standardises its rows where they are (the biggest array it holds): the same numbers.
      s.applyInPlace(rows);
      assertArrayEquals(new float[] {-1, 0, 1, 0}, rows.toFloatArray(), 1e-6f);
    }
  }

  /**
   * Scoring raw features with the standardisation folded into the adaptor gives what the trained
   * network gives on explicitly standardised features: the stored standardisation is applied
   * identically in scoring.
   */
  @Test
  void theFoldedScorerAppliesTheStandardisation() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      Engine.getEngine("MXNet").setRandomSeed(3);
      NDArray raw = manager.randomNormal(5f, 3f, new Shape(256, 8), DataType.FLOAT32);
      EmbeddingStandardization s = EmbeddingStandardization.measure(raw);
      SimpleNetNetwork network = new SimpleNetNetwork(8, 16);
      network.initialize(manager);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
      for (int step = 0; step < 5; step++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray batch = s.apply(raw);
          batch.attach(scope);
          try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
            NDList out = network.trainingForward(new ParameterStore(scope, false), batch, 0.5f, 0.5f);
            collector.backward(out.get(0));
          }
          SimpleNetTrainer.update(adam, network.all.getParameters(), scope, 0f);
        }
      }
      NDArray x = manager.randomNormal(5f, 3f, new Shape(10, 8), DataType.FLOAT32);
      ParameterStore store = new ParameterStore(manager, false);
      float[] explicit = network.discriminate(store, network.adapt(store, s.apply(x), false), false).neg().toFloatArray();
      float[] folded = network.fold(manager, s).score(x).toFloatArray();
      assertArrayEquals(explicit, folded, 1e-3f);
      float[] unstandardized = network.fold(manager, null).score(x).toFloatArray();
      assertTrue(Math.abs(unstandardized[0] - folded[0]) > 1e-2, "the standardisation changes the scores");
    }
  }

  /** Training steps and folds leave nothing behind on the model's manager (no handle growth). */
  @Test
  void trainingStepsAndFoldsLeaveNoArraysOnTheModelManager() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      SimpleNetNetwork network = new SimpleNetNetwork(8, 16);
      network.initialize(manager);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-3f)).optWeightDecays(1e-5f).build();
      int[] counts = new int[3];
      for (int round = 0; round < 3; round++) {
        for (int step = 0; step < 4; step++) {
          try (NDManager scope = manager.newSubManager()) {
            NDArray batch = scope.randomNormal(0f, 1f, new Shape(32, 8), DataType.FLOAT32);
            try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
              NDList out = network.trainingForward(new ParameterStore(scope, false), batch, 0.5f, 0.5f);
              collector.backward(out.get(0));
            }
            SimpleNetTrainer.update(adam, network.adaptor.getParameters(), scope, 1e-5f);
            SimpleNetTrainer.update(adam, network.discriminator.getParameters(), scope, 0f);
          }
        }
        try (NDManager scope = manager.newSubManager()) {
          network.fold(scope, null);
        }
        counts[round] = manager.getManagedArrays().size();
      }
      // Round 1 creates the optimizers' state; after that the count stays put.
      assertEquals(counts[1], counts[2], "arrays on the model's manager after each round: " + java.util.Arrays.toString(counts));
    }
  }
}
