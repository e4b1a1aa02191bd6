package io.vigil.detector.common.testing;

import ai.djl.engine.Engine;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.backbone.BackboneFactory;
import io.vigil.backbone.internal.MobileNetV2Configuration;
import io.vigil.backbone.internal.MobileNetV2Factory;
import io.vigil.djl.DeepLearningEngine;
import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;

/**
 * The wiring OSGi does in the station (the engine, MobileNetV2, image sources), for detectors'
 * unit tests outside the framework. Shipped in this bundle's test jar, not in the bundle.
 */
public final class DetectorTestSupport {
  private DetectorTestSupport() {}

  /** ../shared beside the checkout (or -Dvigil.shared), or a failure that says where it was looked for. */
  public static Path shared() {
    Path shared = Path.of(System.getProperty("vigil.shared", "../shared"));
    if (!Files.isDirectory(shared.resolve("models"))) {
      throw new IllegalStateException("the shared data is missing: expected " + shared.toAbsolutePath()
          + "/models (MobileNetV2 weights) beside the checkout");
    }
    return shared;
  }

  /** The MXNet engine as io.vigil.djl offers it, without the bundle's class loader switch. */
  public static DeepLearningEngine engine() {
    return new DeepLearningEngine() {
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
  }

  /** MobileNetV2 as the backbone bundle registers it; weights from ../shared/models, never downloaded. */
  public static BackboneFactory mobileNetV2(DeepLearningEngine engine) {
    return mobileNetV2(engine, "graph");
  }

  /**
   * @param execution "graph" (compiled, as the bundle runs by default) or "layers" (DJL blocks one
   *     by one: the reference the compiled path is tested against)
   */
  public static BackboneFactory mobileNetV2(DeepLearningEngine engine, String execution) {
    String models = shared().resolve("models").toAbsolutePath().toString();
    return new MobileNetV2Factory(engine, new io.vigil.djl.internal.MxnetNetworkCompiler(engine), new MobileNetV2Configuration() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return MobileNetV2Configuration.class;
      }

      @Override
      public String models_dir() {
        return models;
      }

      @Override
      public boolean download() {
        return false;
      }

      @Override
      public String weights_url() {
        return "";
      }

      @Override
      public String labels_url() {
        return "";
      }

      @Override
      public String execution() {
        return execution;
      }

      @Override
      public int download_timeout_seconds() {
        return 1;
      }
    });
  }

  /** A finite source over {@code images}, in order, that tells its size. */
  public static ImageSource source(String name, List<Image> images) {
    return new ImageSource() {
      @Override
      public String name() {
        return name;
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
            return next < images.size() ? new Frame(name + "-" + next, Instant.now(), name, images.get(next++)) : null;
          }

          @Override
          public boolean isExhausted() {
            return next >= images.size();
          }

          @Override
          public OptionalInt size() {
            return OptionalInt.of(images.size());
          }

          @Override
          public void close() {}
        };
      }
    };
  }

  /** A textured grey surface: sines across and down plus seeded noise, the same for the same seed. */
  public static Image surface(int width, int height, long seed) {
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

  /** A copy of a grey image with a bright square at (x0, y0). */
  public static Image withSquare(Image image, int x0, int y0, int size) {
    return withSquare(image, x0, y0, size, 250);
  }

  /** A copy of a grey image with a square of grey level {@code value} at (x0, y0), e.g. a dark hole. */
  public static Image withSquare(Image image, int x0, int y0, int size, int value) {
    byte[] pixels = image.pixels8().clone();
    for (int y = y0; y < y0 + size; y++) {
      for (int x = x0; x < x0 + size; x++) {
        pixels[y * image.width() + x] = (byte) value;
      }
    }
    return Image.of8Bit(image.width(), image.height(), 1, pixels);
  }
}
