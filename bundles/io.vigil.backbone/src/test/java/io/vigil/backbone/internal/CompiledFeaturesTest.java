package io.vigil.backbone.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.internal.MxnetNetworkCompiler;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The compiled graph (one MXNet cached op, oneDNN fusion) gives the features the DJL blocks give
 * layer by layer, within 1e-4 of their range, for the default and SimpleNet's taps, at 224x224
 * and at a size whose SAME padding differs (odd sizes after the strides).
 */
class CompiledFeaturesTest {
  private static NDManager manager;
  private static MobileNetV2Backbone backbone;

  @BeforeAll
  static void load() throws Exception {
    manager = NDManager.newBaseManager("MXNet");
    MobileNetV2 network = MobileNetV2.fromTfLite(
        TfLiteModel.read(SharedFiles.models().resolve(MobileNetV2Factory.WEIGHTS_FILE)), manager);
    DeepLearningEngine engine = new DeepLearningEngine() {
      @Override
      public Engine engine() {
        return Engine.getEngine("MXNet");
      }

      @Override
      public <T> T withEngineClassLoader(Callable<T> work) throws Exception {
        return work.call();
      }

      @Override
      public String description() {
        return "MXNet (unit test)";
      }
    };
    backbone = new MobileNetV2Backbone(
        manager, network, MobileNetV2Factory.WEIGHTS_SHA256, List.of(), new MxnetNetworkCompiler(engine));
  }

  @AfterAll
  static void close() {
    if (backbone != null) {
      backbone.close();
    }
  }

  @ParameterizedTest
  @CsvSource({
    "block_6_expand;block_13_expand, 224, 224, 2",
    "block_5_output;block_12_output, 224, 224, 1",
    "stem;block_1_depthwise;block_3_output;head, 100, 150, 2"
  })
  void compiledFeaturesEqualTheLayerByLayerOnes(String taps, int height, int width, int batch) {
    List<String> wanted = List.of(taps.split(";"));
    try (NDManager scope = manager.newSubManager()) {
      manager.getEngine().setRandomSeed(5);
      NDArray rgb = scope.randomUniform(0f, 1f, new Shape(batch, 3, height, width));
      NDList reference = backbone.layerByLayer(rgb, wanted);
      NDList compiled = backbone.features(rgb, wanted);
      assertTrue(backbone.execution().contains("MXNet symbolic graph"), backbone.execution());
      assertEquals(wanted.size(), compiled.size());
      for (int i = 0; i < wanted.size(); i++) {
        assertEquals(reference.get(i).getShape(), compiled.get(i).getShape(), wanted.get(i));
        float[] expected = reference.get(i).toFloatArray();
        float[] actual = compiled.get(i).toFloatArray();
        double range = 1e-6;
        double worst = 0;
        for (int j = 0; j < expected.length; j++) {
          range = Math.max(range, Math.abs(expected[j]));
          worst = Math.max(worst, Math.abs(expected[j] - actual[j]));
        }
        assertTrue(worst <= 1e-4 * range, wanted.get(i) + ": largest difference " + worst + " of range " + range);
      }
    }
  }
}
