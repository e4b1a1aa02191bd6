package io.vigil.backbone.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.djl.DeepLearningEngine;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The model zoo loading code (DJL Criteria) on a locally saved MXNet model: the same path a zoo
 * download takes, from a file: URL instead of djl://.
 */
class ZooResNetFactoryTest {
  @TempDir Path temp;

  @Test
  void loadsASavedMxnetModelFromALocalUrlAndClassifies() throws Exception {
    // Logits = W * (per-channel mean of the standardised image) + b.
    float[] weights = {1, 0, 0, 0, 1, 0, 0, 0, 2};
    float[] bias = {0.5f, 0, -0.5f};
    Path model = temp.resolve("resnet18_v1");
    MxnetModelWriter.writePoolDense(model, "resnet18_v1", weights, bias);
    Files.writeString(model.resolve("synset.txt"), "red thing\ngreen thing\nblue thing\n");

    ResNet18Factory factory = new ResNet18Factory(new PlainEngine(), configuration(model.toUri().toString()));
    try (Backbone backbone = factory.load(null); NDManager manager = NDManager.newBaseManager("MXNet")) {
      assertEquals(List.of("red thing", "green thing", "blue thing"), backbone.classLabels());
      float[] rgb = {0.9f, 0.5f, 0.1f};
      float[] image = new float[3 * 8 * 8];
      for (int c = 0; c < 3; c++) {
        java.util.Arrays.fill(image, c * 64, (c + 1) * 64, rgb[c]);
      }
      float[] probabilities = backbone.classProbabilities(manager.create(image, new Shape(1, 3, 8, 8))).toFloatArray();

      double[] standardised = {(0.9 - 0.485) / 0.229, (0.5 - 0.456) / 0.224, (0.1 - 0.406) / 0.225};
      double[] logits = {standardised[0] + 0.5, standardised[1], 2 * standardised[2] - 0.5};
      double sum = 0;
      for (double l : logits) {
        sum += Math.exp(l);
      }
      float[] expected = new float[3];
      for (int i = 0; i < 3; i++) {
        expected[i] = (float) (Math.exp(logits[i]) / sum);
      }
      assertArrayEquals(expected, probabilities, 1e-5f);
    }
  }

  @Test
  void aMissingModelNamesTheUrl() {
    String url = temp.resolve("nothing-here").toUri().toString();
    ResNet18Factory factory = new ResNet18Factory(new PlainEngine(), configuration(url));
    BackboneException e = assertThrows(BackboneException.class, () -> factory.load(null));
    assertTrue(e.getMessage().contains("cannot load resnet18_v1 from " + url), e.getMessage());
  }

  @Test
  void offlineTheZooSaysWhatToDo() {
    ResNet50Factory factory = new ResNet50Factory(new PlainEngine(), configuration(""));
    assertTrue(factory.description().contains(ZooResNetFactory.zooUrl("resnet50_v1")));
    BackboneException e = assertThrows(BackboneException.class, () -> factory.load(null));
    assertTrue(e.getMessage().contains("needs internet once"), e.getMessage());
  }

  private static ZooResNetConfiguration configuration(String url) {
    return new ZooResNetConfiguration() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return ZooResNetConfiguration.class;
      }

      @Override
      public String model_url() {
        return url;
      }
    };
  }

  /** The engine outside OSGi: the class path already is the engine's class loader. */
  static final class PlainEngine implements DeepLearningEngine {
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
      return "MXNet (test)";
    }
  }
}
