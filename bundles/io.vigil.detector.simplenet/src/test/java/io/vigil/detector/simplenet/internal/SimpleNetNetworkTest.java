package io.vigil.detector.simplenet.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class SimpleNetNetworkTest {

  /**
   * Truncated loss with margin 0.5: true scores [1, 0.2] give max(0, 0.5 - D) = [0, 0.3], mean
   * 0.15; fake scores [-1, 0.1] give max(0, 0.5 + D) = [0, 0.6], mean 0.3; total 0.45 (by hand).
   */
  @Test
  void truncatedLossByHand() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      NDArray loss = SimpleNetNetwork.loss(manager.create(new float[] {1f, 0.2f}), manager.create(new float[] {-1f, 0.1f}), 0.5f);
      assertEquals(0.45f, loss.getFloat(), 1e-6f);
    }
  }

  /** Folding adaptor and batch norm into the first layer changes nothing but rounding. */
  @Test
  void foldedScorerEqualsTheTrainedNetwork() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      Engine.getEngine("MXNet").setRandomSeed(7);
      SimpleNetNetwork network = new SimpleNetNetwork(16, 32);
      network.initialize(manager);
      Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.01f)).build();
      // A few real training steps, so batch norm's running statistics are not the identity.
      for (int step = 0; step < 5; step++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray rows = scope.randomNormal(0.3f, 2f, new Shape(64, 16), ai.djl.ndarray.types.DataType.FLOAT32);
          try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
            NDList out = network.trainingForward(new ParameterStore(scope, false), rows, 0.015f, 0.5f);
            collector.backward(out.get(0));
          }
          for (Pair<String, Parameter> p : network.all.getParameters()) {
            if (p.getValue().requiresGradient()) {
              adam.update(p.getValue().getId(), p.getValue().getArray(), p.getValue().getArray().getGradient());
            }
          }
        }
      }
      float[] runningMean = network.batchNorm.getParameters().get("runningMean").getArray().toFloatArray();
      assertTrue(Math.abs(runningMean[0]) > 1e-6, "batch norm statistics were updated in training");

      NDArray x = manager.randomNormal(0f, 1f, new Shape(10, 16), ai.djl.ndarray.types.DataType.FLOAT32);
      ParameterStore store = new ParameterStore(manager, false);
      float[] reference = network.discriminate(store, network.adapt(store, x, false), false).neg().toFloatArray();
      SimpleNetNetwork.FoldedScorer scorer = network.fold(manager, null);
      float[] folded = scorer.score(x).toFloatArray();
      assertArrayEquals(reference, folded, 1e-4f);
      // The channels-first form used for whole maps: 10 patches as a (1, 16, 2, 5) map.
      float[] maps = scorer.scoreMaps(x.transpose().reshape(1, 16, 2, 5)).toFloatArray();
      assertArrayEquals(reference, maps, 1e-4f);
    }
  }
}
