package io.vigil.detector.common.testing;

import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Image;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.util.ArrayList;
import java.util.List;

/**
 * Leak checks on the engine's native arrays: every manager of the engine is counted (not only the
 * model's), so an array left on the backbone's, a scope's or the root manager shows as well.
 */
public final class LiveArrays {
  private LiveArrays() {}

  public static long count(DeepLearningEngine engine) throws EngineUnavailableException {
    return engine.liveArrays();
  }

  /**
   * Scores {@code frames} frames the way the station does, single frames and batches of up to 4
   * mixed, and returns how many arrays more are alive afterwards than before. Each batch size is
   * scored once first: a compiled network keeps one plan per batch size, made on its first use.
   */
  public static long growthFromScoring(DeepLearningEngine engine, Detector detector, List<Image> images, int frames)
      throws EngineUnavailableException, DetectionException {
    for (int batch = 1; batch <= 4; batch++) {
      detector.detect(batches(images, 0, batch));
    }
    long before = count(engine);
    int scored = 0;
    for (int step = 0; scored < frames; step++) {
      int batch = Math.min(frames - scored, step % 3 == 0 ? 1 : step % 3 == 1 ? 4 : 2);
      if (batch == 1) {
        detector.detect(images.get(scored % images.size()));
      } else {
        detector.detect(batches(images, scored, batch));
      }
      scored += batch;
    }
    return count(engine) - before;
  }

  /**
   * Scores one batch of every size from 1 to {@code upTo}: afterwards a model holds its compiled
   * plans for all of them (a compiled network keeps up to 8), whatever it scored before, so two
   * models can be compared by what else they hold.
   */
  public static void warmBatches(Detector detector, List<Image> images, int upTo) throws DetectionException {
    for (int batch = 1; batch <= upTo; batch++) {
      detector.detect(batches(images, 0, batch));
    }
  }

  private static List<Image> batches(List<Image> images, int from, int size) {
    List<Image> batch = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      batch.add(images.get((from + i) % images.size()));
    }
    return batch;
  }
}
