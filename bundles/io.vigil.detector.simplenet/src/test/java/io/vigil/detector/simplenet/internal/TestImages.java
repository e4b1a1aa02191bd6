package io.vigil.detector.simplenet.internal;

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
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.Random;
import java.util.concurrent.Callable;

/** Synthetic parts and the wiring that OSGi would do, for unit tests outside the framework. */
final class TestImages {
  private TestImages() {}

  /** A grey "surface": smooth stripes plus noise, the same texture for every seed. */
  static Image surface(int width, int height, long seed) {
    Random random = new Random(seed);
    byte[] pixels = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        double stripes = 128 + 40 * Math.sin(x * 0.5) + 20 * Math.cos(y * 0.3);
        pixels[y * width + x] = (byte) Math.max(0, Math.min(255, stripes + random.nextGaussian() * 6));
      }
    }
    return Image.of8Bit(width, height, 1, pixels);
  }

  /** The same surface with a dark square "hole". */
  static Image withDefect(Image surface, int x0, int y0, int size) {
    byte[] pixels = surface.pixels8().clone();
    for (int y = y0; y < y0 + size; y++) {
      for (int x = x0; x < x0 + size; x++) {
        pixels[y * surface.width() + x] = 10;
      }
    }
    return Image.of8Bit(surface.width(), surface.height(), 1, pixels);
  }

  /** A finite source over a list of images. */
  static ImageSource source(String name, List<Image> images) {
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
            return next < images.size()
                ? new Frame(name + "-" + next, Instant.now(), name, images.get(next++))
                : null;
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

  static DeepLearningEngine engine() {
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

  /** MobileNetV2 as the backbone bundle registers it; weights via VIGIL_MODEL_PATH (../shared/models). */
  static BackboneFactory mobileNetV2(DeepLearningEngine engine) {
    return mobileNetV2(engine, "graph");
  }

  /** @param execution "graph" (compiled, the default) or "layers" (DJL blocks one by one: the reference) */
  static BackboneFactory mobileNetV2(DeepLearningEngine engine, String execution) {
    return new MobileNetV2Factory(engine, new io.vigil.djl.internal.MxnetNetworkCompiler(engine), new MobileNetV2Configuration() {
      @Override
      public Class<? extends Annotation> annotationType() {
        return MobileNetV2Configuration.class;
      }

      @Override
      public String models_dir() {
        return "";
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
}
