package io.vigil.detector.patchcore.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SearchProjectionTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager("MXNet");
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** The default (64) projects the 128 values of the default taps, but not taps with 64 values or fewer. */
  @Test
  void theSearchIsProjectedOnlyOntoFewerValuesThanTheFeaturesHave() throws Exception {
    PatchCoreParameters defaults = PatchCoreParameters.defaults();
    assertEquals(64, defaults.searchDimension());
    assertTrue(defaults.projectsSearch(128));
    assertFalse(defaults.projectsSearch(64), "all components would only rotate the features");
    assertFalse(defaults.projectsSearch(32));
    assertFalse(defaults.with(java.util.Map.of("search.dimension", 0)).projectsSearch(128));
  }

  /**
   * Points spread mostly along two known orthogonal directions (scales 10 and 4) plus small
   * noise: the first two components are those directions, in that order, orthonormal with the
   * rest, and the variance they keep is what the scales say.
   */
  @Test
  void theComponentsAreTheDirectionsOfLargestSpread() {
    int d = 6;
    int count = 4000;
    Random random = new Random(3);
    double[] first = unit(new double[] {1, 2, 0, -1, 0, 1});
    double[] second = unit(new double[] {2, -1, 1, 0, 0, 0}); // orthogonal to the first
    float[] rows = new float[count * d];
    for (int r = 0; r < count; r++) {
      double a = 10 * random.nextGaussian();
      double b = 4 * random.nextGaussian();
      for (int c = 0; c < d; c++) {
        rows[r * d + c] = (float) (5 + a * first[c] + b * second[c] + 0.1 * random.nextGaussian());
      }
    }
    SearchProjection projection = SearchProjection.fit(rows, d, 3);
    float[] components = projection.components();
    assertEquals(1, Math.abs(dot(components, 0, first)), 1e-3, "the first component");
    assertEquals(1, Math.abs(dot(components, d, second)), 1e-3, "the second component");
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 3; j++) {
        double product = 0;
        for (int c = 0; c < d; c++) {
          product += components[i * d + c] * components[j * d + c];
        }
        assertEquals(i == j ? 1 : 0, product, 1e-5, "components " + i + " and " + j);
      }
    }
    // Variances 100, 16 and 6 x 0.01 of noise: three components keep all but 5 x 0.01.
    assertEquals(1 - 0.05 / 116.06, projection.keptVariance(), 2e-3);
    assertTrue(SearchProjection.fit(rows, d, 1).keptVariance() < 0.87, "one component keeps about 100 / 116");
    assertEquals(1, SearchProjection.fit(rows, d, d).keptVariance(), 1e-9);
  }

  /** The engine's projection against a plain loop over the components. */
  @Test
  void projectingRowsMatchesANaiveLoop() {
    Random random = new Random(11);
    int d = 20;
    int out = 7;
    float[] fitRows = gaussian(random, 300 * d);
    SearchProjection projection = SearchProjection.fit(fitRows, d, out);
    float[] components = projection.components();
    int queries = 45;
    float[] query = gaussian(random, queries * d);
    try (NDManager scope = manager.newSubManager()) {
      float[] projected = projection.apply(scope.create(query, new Shape(queries, d))).toFloatArray();
      assertEquals(queries * out, projected.length);
      for (int q = 0; q < queries; q++) {
        for (int k = 0; k < out; k++) {
          double naive = 0;
          for (int c = 0; c < d; c++) {
            naive += (double) components[k * d + c] * query[q * d + c];
          }
          assertEquals(naive, projected[q * out + k], 1e-4, "query " + q + ", component " + k);
        }
      }
    }
  }

  /** Every component kept is a rotation: the nearest entries and their distances stay the same. */
  @Test
  void allComponentsKeepTheNearestDistances() {
    Random random = new Random(7);
    int d = 16;
    int size = 300;
    int queries = 120;
    float[] bank = gaussian(random, size * d);
    float[] query = gaussian(random, queries * d);
    SearchProjection projection = SearchProjection.fit(bank, d, d);
    try (NDManager scope = manager.newSubManager();
        MemoryBank plain = new MemoryBank(scope.create(bank, new Shape(size, d)), scope.newSubManager(), 128);
        MemoryBank rotated = new MemoryBank(projection.apply(scope.create(bank, new Shape(size, d))),
            scope.newSubManager(), 128)) {
      MemoryBank.Nearest expected = plain.nearest(scope.create(query, new Shape(queries, d)), true);
      MemoryBank.Nearest actual = rotated.nearest(projection.apply(scope.create(query, new Shape(queries, d))), true);
      float[] e = expected.squaredDistances().toFloatArray();
      float[] a = actual.squaredDistances().toFloatArray();
      for (int q = 0; q < queries; q++) {
        assertEquals(e[q], a[q], 1e-4 * Math.max(1, e[q]), "query " + q);
      }
      assertArrayEquals(expected.indices().toLongArray(), actual.indices().toLongArray());
    }
  }

  @Test
  void theFileRoundTripsAndForeignFilesAreRefused() throws IOException {
    SearchProjection projection = SearchProjection.fit(gaussian(new Random(2), 50 * 9), 9, 4);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      projection.write(out);
    }
    SearchProjection read = SearchProjection.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
    assertArrayEquals(projection.components(), read.components(), 0f);
    assertEquals(9, read.inputs());
    assertEquals(4, read.outputs());
    assertEquals(projection.keptVariance(), read.keptVariance(), 0);
    byte[] foreign = bytes.toByteArray();
    foreign[0] ^= 1;
    assertThrows(IOException.class,
        () -> SearchProjection.read(new DataInputStream(new ByteArrayInputStream(foreign))));
    assertThrows(IllegalArgumentException.class, () -> SearchProjection.fit(gaussian(new Random(2), 50 * 9), 9, 10));
  }

  private static double dot(float[] components, int offset, double[] direction) {
    double sum = 0;
    for (int c = 0; c < direction.length; c++) {
      sum += components[offset + c] * direction[c];
    }
    return sum;
  }

  private static double[] unit(double[] v) {
    double norm = 0;
    for (double x : v) {
      norm += x * x;
    }
    norm = Math.sqrt(norm);
    double[] u = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      u[i] = v[i] / norm;
    }
    return u;
  }

  private static float[] gaussian(Random random, int n) {
    float[] values = new float[n];
    for (int i = 0; i < n; i++) {
      values[i] = (float) random.nextGaussian();
    }
    return values;
  }
}
