package io.vigil.detector.simplenet.internal;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import ai.djl.util.Pair;
import org.junit.jupiter.api.Test;

class LearningProbe {
  @Test
  void learns() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      Engine engine = Engine.getEngine("MXNet");
      engine.setRandomSeed(1);
      SimpleNetNetwork network = new SimpleNetNetwork(16, 64);
      network.initialize(manager);
      Optimizer a = Optimizer.adamW().optLearningRateTracker(Tracker.fixed(1e-4f)).optWeightDecays(1e-2f).build();
      Optimizer d = Optimizer.adam().optLearningRateTracker(Tracker.fixed(2e-4f)).optWeightDecays(1e-5f).build();
      for (int step = 0; step < 300; step++) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray onManifold = scope.randomNormal(0f, 1f, new Shape(512, 4), DataType.FLOAT32);
          NDArray rows = NDArrays.concat(new NDList(onManifold, scope.zeros(new Shape(512, 12))), 1);
          double loss;
          try (GradientCollector c = engine.newGradientCollector()) {
            NDList out = network.trainingForward(new ParameterStore(scope, false), rows, 0.1f, 0.5f);
            c.backward(out.get(0));
            loss = out.get(0).getFloat();
            if (step % 50 == 0) {
              System.out.printf("PROBE step %d loss %.4f true %.3f fake %.3f%n", step, loss, out.get(1).mean().getFloat(), out.get(2).mean().getFloat());
            }
          }
          for (Pair<String, Parameter> p : network.adaptor.getParameters()) {
            if (p.getValue().requiresGradient()) a.update(p.getValue().getId(), p.getValue().getArray(), p.getValue().getArray().getGradient());
          }
          for (Pair<String, Parameter> p : network.discriminator.getParameters()) {
            if (p.getValue().requiresGradient()) {
              NDArray g = p.getValue().getArray().getGradient();
              if (step == 0) System.out.printf("PROBE grad %s |g| %.6f%n", p.getKey(), g.abs().sum().getFloat());
              d.update(p.getValue().getId(), p.getValue().getArray(), g);
            }
          }
        }
      }
    }
  }
}
