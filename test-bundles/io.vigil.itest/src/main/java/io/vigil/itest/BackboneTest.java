package io.vigil.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.command.Command;
import io.vigil.api.command.CommandDispatcher;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneFactory;
import io.vigil.backbone.ImageTensors;
import io.vigil.backbone.ImageTensors.Resampling;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** DJL with MXNet inside Felix, and the MobileNetV2 backbone built from ../shared/models. */
class BackboneTest {
  private static final BundleContext CONTEXT = FrameworkUtil.getBundle(BackboneTest.class).getBundleContext();
  private static Backbone backbone;
  private static DeepLearningEngine engine;

  @BeforeAll
  static void loadBackbone() throws Exception {
    engine = service(DeepLearningEngine.class, null);
    BackboneFactory factory = service(BackboneFactory.class, "(vigil.backbone.name=mobilenet_v2)");
    backbone = factory.load(null); // found through VIGIL_MODEL_PATH, set by itest.bndrun
  }

  @AfterAll
  static void close() {
    if (backbone != null) {
      backbone.close();
    }
  }

  @Test
  void theMxnetEngineStartsInsideFelix() throws Exception {
    assertTrue(engine.description().startsWith("MXNet 1.9"), engine.description());
    try (NDManager manager = engine.newManager()) {
      float[] product = manager.create(new float[] {1, 2, 3, 4}, new Shape(2, 2))
          .matMul(manager.create(new float[] {5, 6, 7, 8}, new Shape(2, 2))).toFloatArray();
      assertEquals(List.of(19f, 22f, 43f, 50f), List.of(product[0], product[1], product[2], product[3]));
    }
  }

  /** Expected values: ../shared/README.md (numpy reference, nearest-neighbour resize). */
  @ParameterizedTest
  @CsvSource({
    "cat.png, Egyptian cat, 0.745",
    "bird.png, chickadee, 0.932",
    "dragonfly.png, dragonfly, 0.961",
    "grace_hopper.png, military uniform, 0.330",
    "sunflower.png, daisy, 0.908"
  })
  void classifiesTheSamplePhotosAsTheReferenceDoes(String file, String label, double probability) throws Exception {
    try (NDManager manager = engine.newManager()) {
      var image = ImageFiles.read(samples().resolve(file));
      float[] p = backbone.classProbabilities(ImageTensors.centerSquare(manager, image, 224, Resampling.NEAREST))
          .toFloatArray();
      int top = 0;
      for (int i = 1; i < p.length; i++) {
        top = p[i] > p[top] ? i : top;
      }
      assertEquals(label, backbone.classLabels().get(top).split(",")[0].trim(), file);
      assertEquals(probability, p[top], 0.05, file);
    }
  }

  @Test
  void tapShapesForSquareAndNonSquareInputs() throws Exception {
    try (NDManager manager = engine.newManager()) {
      NDList square = backbone.features(manager.zeros(new Shape(1, 3, 224, 224)), backbone.defaultTaps());
      assertEquals(new Shape(1, 192, 28, 28), square.get(0).getShape());
      assertEquals(new Shape(1, 576, 14, 14), square.get(1).getShape());
      NDList wide = backbone.features(manager.zeros(new Shape(2, 3, 256, 320)), backbone.defaultTaps());
      assertEquals(new Shape(2, 192, 32, 40), wide.get(0).getShape());
      assertEquals(new Shape(2, 576, 16, 20), wide.get(1).getShape());
    }
  }

  @Test
  void classifyCommandPrintsTopClassesAndReportsABadImage(@TempDir Path temp) throws Exception {
    Path corrupt = Files.write(temp.resolve("corrupt.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, 0});
    service(Command.class, "(vigil.command.name=classify)");
    CommandDispatcher vigil = service(CommandDispatcher.class, null);
    CapturedConsole console = new CapturedConsole(temp);
    int status = vigil.run(List.of("classify", samples().resolve("bird.png").toString(), corrupt.toString()), console);
    String printed = console.printed();
    assertEquals(1, status, "one image failed");
    assertTrue(printed.contains("0.932  chickadee"), printed);
    assertTrue(console.errors().contains("corrupt.png"), console.errors());
  }

  private static Path samples() {
    Path samples = Path.of(System.getProperty("vigil.shared", "../shared"), "models", "imagenet-samples");
    assertTrue(Files.isDirectory(samples), "sample photos missing: " + samples.toAbsolutePath());
    return samples;
  }

  static <S> S service(Class<S> type, String filter) throws Exception {
    String full = "(objectClass=" + type.getName() + ")";
    if (filter != null) {
      full = "(&" + full + filter + ")";
    }
    ServiceTracker<S, S> tracker = new ServiceTracker<>(CONTEXT, CONTEXT.createFilter(full), null);
    tracker.open();
    S service = tracker.waitForService(120_000);
    assertNotNull(service, "no service " + full);
    return service;
  }
}
