package io.vigil.itest;

import static io.vigil.itest.BackboneTest.service;
import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** SimpleNet inside Felix: a tiny model trained through the factory service, then offered by configuration. */
class SimpleNetTest {
  private final BundleContext context = FrameworkUtil.getBundle(SimpleNetTest.class).getBundleContext();

  @Test
  void trainsATinyModelThatBecomesADetectorServiceAndLoadsByConfiguration(@TempDir Path temp) throws Exception {
    DetectorFactory factory = service(DetectorFactory.class, "(vigil.detector.algorithm=simplenet)");
    List<Image> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(surface(72, 56, i));
    }
    Path model = temp.resolve("tiny-tiles");
    Detector trained = factory.train(source(good), Map.of("input.size", 64, "epochs", 1, "batch.size", 4, "name",
        "tiny-tiles"), model, TrainingMonitor.NONE);
    assertTrue(factory.recognizes(model));
    assertEquals("tiny-tiles", trained.name());
    Collection<ServiceReference<Detector>> registered =
        context.getServiceReferences(Detector.class, "(vigil.detector.name=tiny-tiles)");
    assertEquals(1, registered.size(), "the trained model is offered as a Detector service");

    Image part = surface(72, 56, 42);
    Detection direct = trained.detect(part);
    assertEquals(72, direct.map().width());

    // A factory configuration offers the saved model under another name, as deploy/*.config would.
    ConfigurationAdmin admin = service(ConfigurationAdmin.class, null);
    Configuration configuration = admin.getFactoryConfiguration("io.vigil.detector.simplenet.model", "itest", "?");
    configuration.update(new Hashtable<>(Map.of("model.dir", model.toString(), "name", "tiles-from-config")));
    try {
      await(() -> reference("tiles-from-config") != null, () -> "detector service from configuration");
      Detector loaded = context.getService(reference("tiles-from-config"));
      assertNotNull(loaded);
      Detection again = loaded.detect(part);
      assertEquals(direct.rawScore(), again.rawScore(), 1e-5, "loaded model scores as the trained one");
    } finally {
      configuration.delete();
    }
    await(() -> reference("tiles-from-config") == null, () -> "detector service gone with its configuration");
    assertTrue(Files.isRegularFile(model.resolve("model.json")));

    // Trained detectors stay offered while the factory lives: restarting its bundle withdraws them.
    new OsgiSupport().withdrawDetectors("tiny-tiles");
    assertEquals(null, reference("tiny-tiles"), "stopping the bundle withdraws the trained detector");
  }

  /** Pass or fail, the station tests that follow see only their own detectors. */
  @AfterEach
  void withdrawTrainedDetectors() throws Exception {
    new OsgiSupport().withdrawDetectors("tiny-tiles");
  }

  private ServiceReference<Detector> reference(String name) {
    try {
      Collection<ServiceReference<Detector>> found =
          context.getServiceReferences(Detector.class, "(vigil.detector.name=" + name + ")");
      return found.isEmpty() ? null : found.iterator().next();
    } catch (org.osgi.framework.InvalidSyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Image surface(int width, int height, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double value = 128 + 40 * Math.sin(x * 0.5) + 20 * Math.cos(y * 0.3) + random.nextGaussian() * 6;
        pixels[y * width + x] = (byte) Math.max(0, Math.min(255, value));
      }
    }
    return Image.of8Bit(width, height, 1, pixels);
  }

  static ImageSource source(List<Image> images) {
    return new ImageSource() {
      @Override
      public String name() {
        return "itest-surfaces";
      }

      @Override
      public boolean isFinite() {
        return true;
      }

      @Override
      public FrameStream open() {
        return new FrameStream() {
          private int next;

          @Override
          public Frame next(Duration timeout) {
            return next < images.size() ? new Frame("s" + next, Instant.now(), "itest", images.get(next++)) : null;
          }

          @Override
          public boolean isExhausted() {
            return next >= images.size();
          }

          @Override
          public void close() {}
        };
      }
    };
  }
}
