package io.vigil.detector.efficientad.internal;

import static io.vigil.detector.common.testing.DetectorTestSupport.surface;
import static io.vigil.detector.common.testing.DetectorTestSupport.withSquare;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.djl.DeepLearningEngine;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The whole inference as one compiled graph (backbone taps, embedding, teacher standardisation,
 * student, autoencoder, the two maps, their normalisation) gives the maps the layer-by-layer path
 * gives, within 1e-4, on the same networks and images: at the default size with the default
 * teacher, with a stride-4 teacher, and with a distilled teacher PDN. The reference runs MobileNetV2
 * layer by layer too.
 */
class EfficientAdCompiledTest {
  private static DeepLearningEngine engine;

  @BeforeAll
  static void start() {
    engine = DetectorTestSupport.engine();
  }

  @Test
  void theCompiledGraphGivesTheLayerByLayerMapsAtTheDefaultSize() throws Exception {
    assertSameMaps(Map.of());
  }

  @Test
  void theCompiledGraphGivesTheLayerByLayerMapsWithAStride4Teacher() throws Exception {
    assertSameMaps(Map.of("input.size", 64, "teacher.taps", "block_2_output,block_5_output",
        "student.channels", 16, "autoencoder.channels", 8));
  }

  @Test
  void theCompiledGraphGivesTheLayerByLayerMapsWithAStudentOfWiderContext() throws Exception {
    assertSameMaps(Map.of("input.size", 96, "student.context", 2, "student.channels", 16,
        "autoencoder.channels", 8));
  }

  @Test
  void theCompiledGraphGivesTheLayerByLayerMapsWithADistilledTeacher() throws Exception {
    assertSameMaps(Map.of("input.size", 96, "teacher", "distilled", "teacher.channels", 8,
        "student.channels", 16, "autoencoder.channels", 8));
  }

  private static void assertSameMaps(Map<String, Object> settings) throws Exception {
    EfficientAdParameters p = EfficientAdParameters.defaults().with(new HashMap<>(settings));
    Backbone graphBackbone = DetectorTestSupport.mobileNetV2(engine, "graph").load(null);
    Backbone layersBackbone = DetectorTestSupport.mobileNetV2(engine, "layers").load(null);
    TeacherFeatures compiledTeacher = TeacherFeatures.of(graphBackbone, p.teacherTaps(), p.inputSize());
    TeacherFeatures layersTeacher = TeacherFeatures.of(layersBackbone, p.teacherTaps(), p.inputSize());
    NDManager compiledManager = engine.newManager();
    NDManager layersManager = engine.newManager();
    // Fresh networks (the engine's initialisation): the paths must agree on any weights.
    EfficientAdNetworks networks = new EfficientAdNetworks(p.inputSize(), compiledTeacher.channels(),
        compiledTeacher.stride(), p.studentChannels(), p.autoencoderChannels(), p.teacherNetworkWidth(),
        p.studentContext());
    networks.initialize(compiledManager);
    List<Image> images = List.of(surface(p.inputSize(), p.inputSize(), 1), surface(300, 220, 2),
        withSquare(surface(300, 220, 3), 120, 90, 30));
    try (EfficientAdInference layers = new EfficientAdInference(layersBackbone, layersTeacher, p, networks,
        standardisation(networks, layersTeacher, images), layersManager);
        EfficientAdInference compiled = new EfficientAdInference(graphBackbone, compiledTeacher, p, networks,
            standardisation(networks, layersTeacher, images), compiledManager)) {
      MapNormalization normalization;
      try (NDManager scope = layersManager.newSubManager()) {
        NDList raw = layers.rawMaps(layers.input(scope, images));
        normalization = MapNormalization.of(raw.get(0).toFloatArray(), raw.get(1).toFloatArray(),
            p.mapQuantileLow(), p.mapQuantileHigh());
      }
      layers.setNormalization(normalization);
      compiled.setNormalization(normalization);
      compiled.compileNetworks();
      List<AnomalyMap> expected = layers.anomalyMaps(images);
      assertFalse(layers.scoresCompiled(), "the reference runs layer by layer");
      List<AnomalyMap> actual = compiled.anomalyMaps(images);
      assertTrue(compiled.scoresCompiled(), "the compiled graph scored");
      double range = 0;
      double worst = 0;
      for (int i = 0; i < images.size(); i++) {
        float[] e = expected.get(i).values();
        float[] a = actual.get(i).values();
        assertEquals(e.length, a.length);
        float low = Float.MAX_VALUE;
        float high = -Float.MAX_VALUE;
        for (int k = 0; k < e.length; k++) {
          assertEquals(e[k], a[k], 1e-4, settings + ": image " + i + ", map value " + k);
          worst = Math.max(worst, Math.abs(e[k] - a[k]));
          low = Math.min(low, e[k]);
          high = Math.max(high, e[k]);
        }
        range = Math.max(range, high - low);
      }
      System.out.printf("EfficientAD compiled vs layer by layer %s: largest difference %.3g, map range %.3g%n",
          settings, worst, range);
      assertTrue(range > 0.01, "maps that vary (range " + range + "), or the comparison says little");
      // A second batch of another size through the same graph (a batch of one).
      float[] again = compiled.anomalyMaps(images.subList(2, 3)).get(0).values();
      float[] reference = expected.get(2).values();
      for (int k = 0; k < again.length; k++) {
        assertEquals(reference[k], again[k], 1e-4, settings + ": batch of one, map value " + k);
      }
    }
  }

  /** The teacher standardisation measured on the images, as training measures it on its images. */
  private static TeacherNormalization standardisation(EfficientAdNetworks networks, TeacherFeatures teacher,
      List<Image> images) throws Exception {
    try (NDManager scope = engine.newManager()) {
      NDArray rgb = new io.vigil.backbone.InputBatcher().batch(scope, images, teacher.extractor().inputSize(),
          teacher.extractor().inputSize());
      NDArray raw = networks.distilledTeacher()
          ? networks.teacher(new ParameterStore(scope, false), rgb, false)
          : teacher.raw(rgb);
      return TeacherNormalization.of(raw);
    }
  }
}
