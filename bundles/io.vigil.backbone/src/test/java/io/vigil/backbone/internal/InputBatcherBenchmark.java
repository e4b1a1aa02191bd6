package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vigil.api.image.Image;
import io.vigil.backbone.InputBatcher;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * CPU and wall time per image of building a batch of 8 grey images into (8, 3, 224, 224), by the
 * engine operators the batcher replaced and by {@link InputBatcher}, three rounds alternated. Not a
 * test (surefire skips *Benchmark); run it by name:
 *
 * <pre>
 * ./mvnw -B -o test -pl bundles/io.vigil.backbone -Dtest=InputBatcherBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * Process CPU time is printed beside wall time because a shared machine's load moves wall time.
 */
class InputBatcherBenchmark {
  @Test
  void printsTheCostOfBothPaths() {
    com.sun.management.OperatingSystemMXBean os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      for (int[] size : new int[][] {{224, 224}, {320, 240}}) {
        Random random = new Random(1);
        List<Image> images = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
          byte[] p = new byte[size[0] * size[1]];
          random.nextBytes(p);
          images.add(Image.of8Bit(size[0], size[1], 1, p));
        }
        InputBatcher batcher = new InputBatcher();
        for (int round = 0; round < 3; round++) {
          for (int variant = 0; variant < 2; variant++) {
            long cpu0 = os.getProcessCpuTime();
            long wall0 = System.nanoTime();
            int reps = 40;
            for (int r = 0; r < reps; r++) {
              try (NDManager scope = manager.newSubManager()) {
                NDArray a = variant == 0 ? InputBatcherTest.engineOperators(scope, images, 224, 224) : batcher.batch(scope, images, 224, 224);
                a.get(0, 0, 0, 0).getFloat();
              }
            }
            double cpu = (os.getProcessCpuTime() - cpu0) / 1e6 / reps / 8;
            double wall = (System.nanoTime() - wall0) / 1e6 / reps / 8;
            System.out.printf("input batch %dx%d %s: cpu %.3f ms/image, wall %.3f ms/image%n", size[0], size[1],
                variant == 0 ? "engine operators" : "InputBatcher", cpu, wall);
          }
        }
      }
    }
  }
}
