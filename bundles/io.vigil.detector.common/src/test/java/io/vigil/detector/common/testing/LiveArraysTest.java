package io.vigil.detector.common.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Image;
import io.vigil.djl.DeepLearningEngine;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The leak check itself: it sees an array left per frame on any manager of the engine, and only that. */
class LiveArraysTest {
  private final DeepLearningEngine engine = DetectorTestSupport.engine();
  private final List<Image> images = List.of(DetectorTestSupport.surface(16, 12, 1), DetectorTestSupport.surface(16, 12, 2));

  @Test
  void anArrayLeftPerFrameOnAnyManagerIsCounted() throws Exception {
    try (NDManager model = engine.newManager(); NDManager scope = model.newSubManager()) {
      assertEquals(200, LiveArrays.growthFromScoring(engine, new MeanDetector(scope, false), images, 100),
          "two arrays (the image and its mean) per frame");
      long before = LiveArrays.count(engine);
      scope.close();
      assertEquals(before - 2 * (100 + 10), LiveArrays.count(engine), "the arrays of the 100 frames and the 10 warm-up frames");
    }
  }

  @Test
  void framesThatCloseTheirArraysLeaveNone() throws Exception {
    try (NDManager model = engine.newManager()) {
      assertEquals(0, LiveArrays.growthFromScoring(engine, new MeanDetector(model, true), images, 100));
    }
  }

  /** Scores the image's mean on the engine; {@code tidy}: in a per-frame manager closed after. */
  private record MeanDetector(NDManager manager, boolean tidy) implements Detector {
    @Override
    public String name() {
      return "mean";
    }

    @Override
    public String algorithm() {
      return "mean";
    }

    @Override
    public Calibration calibration() {
      return Calibration.identity(1);
    }

    @Override
    public Detection detect(Image image) {
      NDManager frame = tidy ? manager.newSubManager() : manager;
      try {
        float[] pixels = new float[image.width() * image.height()];
        NDArray array = frame.create(pixels, new Shape(image.height(), image.width()));
        float mean = array.mean().getFloat();
        return calibration().detection(new AnomalyMap(image.width(), image.height(), pixels), mean);
      } finally {
        if (tidy) {
          frame.close();
        }
      }
    }
  }
}
