package io.vigil.detector.patchcore.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MemoryBankTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager("MXNet");
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** Blocked engine products against a plain double loop, with blocks that do not divide the bank. */
  @Test
  void nearestEntriesMatchANaiveLoop() {
    Random random = new Random(5);
    int size = 53;
    int dimension = 12;
    int queries = 40;
    float[] bank = uniform(random, size * dimension, 2f);
    float[] query = uniform(random, queries * dimension, 2f);
    for (int blockRows : new int[] {7, 53, 4096}) {
      try (NDManager scope = manager.newSubManager();
          MemoryBank memory = new MemoryBank(scope.create(bank, new Shape(size, dimension)), scope.newSubManager(), blockRows)) {
        MemoryBank.Nearest nearest = memory.nearest(scope.create(query, new Shape(queries, dimension)), true);
        float[] squared = nearest.squaredDistances().toFloatArray();
        long[] indices = nearest.indices().toLongArray();
        MemoryBank.Nearest distancesOnly = memory.nearest(scope.create(query, new Shape(queries, dimension)), false);
        assertEquals(null, distancesOnly.indices());
        assertArrayEquals(squared, distancesOnly.squaredDistances().toFloatArray(), 0f);
        for (int q = 0; q < queries; q++) {
          int naiveIndex = -1;
          double naive = Double.POSITIVE_INFINITY;
          for (int b = 0; b < size; b++) {
            double sum = 0;
            for (int i = 0; i < dimension; i++) {
              double d = query[q * dimension + i] - bank[b * dimension + i];
              sum += d * d;
            }
            if (sum < naive) {
              naive = sum;
              naiveIndex = b;
            }
          }
          assertEquals(naiveIndex, indices[q], "query " + q + ", blocks of " + blockRows);
          assertEquals(naive, squared[q], 1e-4 * Math.max(1, naive), "query " + q + ", blocks of " + blockRows);
        }
      }
    }
  }

  @Test
  void aQueryOnABankEntryIsAtDistanceZero() {
    float[] bank = {3, 4, -1, 2, 10, 10};
    try (NDManager scope = manager.newSubManager();
        MemoryBank memory = new MemoryBank(scope.create(bank, new Shape(3, 2)), scope.newSubManager(), 2)) {
      MemoryBank.Nearest nearest = memory.nearest(scope.create(new float[] {10, 10, 3, 4}, new Shape(2, 2)), true);
      assertArrayEquals(new long[] {2, 0}, nearest.indices().toLongArray());
      assertArrayEquals(new float[] {0, 0}, nearest.squaredDistances().toFloatArray(), 1e-4f);
    }
  }

  /**
   * Bank (0,0), (3,0), (0,4); the patch (1,0) is nearest to (0,0) at distance 1, whose two
   * nearest other entries are (3,0) and (0,4), at distances 2 and sqrt(17) from the patch.
   */
  @Test
  void reweightingFollowsThePaper() {
    try (NDManager scope = manager.newSubManager();
        MemoryBank memory = new MemoryBank(scope.create(new float[] {0, 0, 3, 0, 0, 4}, new Shape(3, 2)), scope.newSubManager(), 2)) {
      double e1 = Math.exp(1);
      double expected = (1 - e1 / (e1 + Math.exp(2) + Math.exp(Math.sqrt(17)))) * 1.0;
      assertEquals(expected, memory.reweight(new float[] {1, 0}, 0, 1.0, 3), 1e-9);
      // With two neighbours only (3,0) is the support: 1 - e^1 / (e^1 + e^2).
      assertEquals(1 - e1 / (e1 + Math.exp(2)), memory.reweight(new float[] {1, 0}, 0, 1.0, 2), 1e-9);
      assertEquals(1.0, memory.reweight(new float[] {1, 0}, 0, 1.0, 1), 0, "one neighbour: no re-weighting possible");
    }
  }

  @Test
  void bankFilesRoundTrip() throws Exception {
    Random random = new Random(9);
    float[] values = uniform(random, 20 * 6, 6f);
    try (NDManager scope = manager.newSubManager();
        MemoryBank memory = new MemoryBank(scope.create(values, new Shape(20, 6)), scope.newSubManager(), 8)) {
      for (MemoryBank.Precision precision : MemoryBank.Precision.values()) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
          memory.write(out, precision);
        }
        assertEquals(20 + values.length * precision.bytes, bytes.size(), precision + " file size");
        try (MemoryBank read = MemoryBank.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())),
            scope.newSubManager(), 8)) {
          assertEquals(20, read.size());
          assertEquals(6, read.dimension());
          float[] back = read.array().toFloatArray();
          for (int i = 0; i < values.length; i++) {
            // float16 keeps 11 significant bits: relative error at most 2^-11.
            double tolerance = precision == MemoryBank.Precision.FLOAT32 ? 0 : Math.abs(values[i]) * Math.pow(2, -11);
            assertEquals(values[i], back[i], tolerance, precision + " value " + i);
          }
          if (precision == MemoryBank.Precision.FLOAT16) {
            assertTrue(java.util.stream.IntStream.range(0, values.length).anyMatch(i -> values[i] != back[i]),
                "float16 storage rounds");
          }
        }
      }
    }
  }

  private static float[] uniform(Random random, int count, float scale) {
    float[] values = new float[count];
    for (int i = 0; i < count; i++) {
      values[i] = random.nextFloat() * scale;
    }
    return values;
  }

}
