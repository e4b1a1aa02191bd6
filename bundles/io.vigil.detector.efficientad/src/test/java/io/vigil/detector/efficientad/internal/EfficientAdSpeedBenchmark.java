package io.vigil.detector.efficientad.internal;

import static io.vigil.detector.common.testing.DetectorTestSupport.surface;

import com.sun.management.OperatingSystemMXBean;
import io.vigil.api.image.Image;
import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.djl.DeepLearningEngine;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Scores one saved model layer by layer and through its compiled graph, alternated in one JVM,
 * and prints wall and process CPU time per image at batch 1 and 8 (CPU time is steadier on a
 * shared machine). Not a test (no assertion, not run by default):
 *
 * <pre>
 * nice -n 15 ./mvnw -B -o test -pl bundles/io.vigil.detector.efficientad -Dtest=EfficientAdSpeedBenchmark \
 *   -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model=/tmp/ead/tiles-efficientad [-Dbench.rounds=4]
 * </pre>
 */
class EfficientAdSpeedBenchmark {

  @Test
  void printTimings() throws Exception {
    String model = System.getProperty("bench.model");
    if (model == null) {
      throw new IllegalStateException("set -Dbench.model=DIR, a saved EfficientAD model");
    }
    int rounds = Integer.getInteger("bench.rounds", 4);
    DeepLearningEngine engine = DetectorTestSupport.engine();
    EfficientAdModels models = new EfficientAdModels(engine, () -> List.of(DetectorTestSupport.mobileNetV2(engine)));
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (EfficientAdDetector detector = models.load(Path.of(model), null, null)) {
      int size = detector.inputSize();
      List<Image> images = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        images.add(surface(size, size, i));
      }
      EfficientAdInference inference = detector.inference();
      for (int round = 1; round <= rounds; round++) {
        for (boolean compiled : new boolean[] {false, true}) {
          inference.compileNetworks(compiled);
          for (int batch : new int[] {1, 8}) {
            List<Image> input = images.subList(0, batch);
            inference.anomalyMaps(input); // compiles, plans the batch size
            int runs = batch == 1 ? 16 : 4;
            long wall = System.nanoTime();
            long cpu = os.getProcessCpuTime();
            for (int run = 0; run < runs; run++) {
              inference.anomalyMaps(input);
            }
            double perImage = 1e6 * runs * batch;
            System.out.printf("round %d %-8s batch %d: %6.2f ms wall, %6.2f ms CPU per image, load %.1f%n", round,
                compiled ? "compiled" : "layers", batch, (System.nanoTime() - wall) / perImage,
                (os.getProcessCpuTime() - cpu) / perImage, os.getSystemLoadAverage());
          }
        }
      }
    }
  }
}
