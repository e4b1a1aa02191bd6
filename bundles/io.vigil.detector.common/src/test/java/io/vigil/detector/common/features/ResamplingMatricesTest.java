package io.vigil.detector.common.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ResamplingMatricesTest {

  /**
   * PyTorch's F.interpolate(mode='bilinear', align_corners=False) from 2 to 4 samples: source
   * positions (o + 0.5) / 2 - 0.5 = -0.25 (clamped to 0), 0.25, 0.75, 1.25 (clamped index 1), so
   * rows [1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]; worked out by hand.
   */
  @Test
  void bilinearUpsamplingMatchesPyTorchAlignCornersFalse() {
    float[][] m = ResamplingMatrices.bilinear(2, 4);
    assertArrayEquals(new float[] {1, 0}, m[0], 1e-7f);
    assertArrayEquals(new float[] {0.75f, 0.25f}, m[1], 1e-7f);
    assertArrayEquals(new float[] {0.25f, 0.75f}, m[2], 1e-7f);
    assertArrayEquals(new float[] {0, 1}, m[3], 1e-7f);
  }

  /** Downsampling 4 to 2: source positions 0.5 and 2.5, so averages of neighbours (by hand). */
  @Test
  void bilinearDownsampling() {
    float[][] m = ResamplingMatrices.bilinear(4, 2);
    assertArrayEquals(new float[] {0.5f, 0.5f, 0, 0}, m[0], 1e-7f);
    assertArrayEquals(new float[] {0, 0, 0.5f, 0.5f}, m[1], 1e-7f);
  }

  /**
   * SciPy gaussian_filter1d(sigma=0.5): radius int(4 * 0.5 + 0.5) = 2, kernel exp(-2 k^2) =
   * [0.000335, 0.135335, 1, 0.135335, 0.000335] / 1.271341. On 3 samples with 'reflect' borders
   * row 0 gathers k=-2 -> 1, k=-1 -> 0, 0 -> 0, 1 -> 1, 2 -> 2 (by hand).
   */
  @Test
  void gaussianMatchesSciPyReflect() {
    float[][] g = ResamplingMatrices.gaussian(3, 0.5);
    double sum = 1 + 2 * Math.exp(-2) + 2 * Math.exp(-8);
    assertEquals((1 + Math.exp(-2)) / sum, g[0][0], 1e-6);
    assertEquals((Math.exp(-2) + Math.exp(-8)) / sum, g[0][1], 1e-6);
    assertEquals(Math.exp(-8) / sum, g[0][2], 1e-6);
    for (float[] row : g) {
      float total = 0;
      for (float w : row) {
        total += w;
      }
      assertEquals(1f, total, 1e-6f);
    }
  }

  @Test
  void reflectIsHalfSampleSymmetric() {
    // d c b a | a b c d | d c b a for n = 4
    int[] expected = {3, 2, 1, 0, 0, 1, 2, 3, 3, 2, 1, 0};
    for (int i = -4; i < 8; i++) {
      assertEquals(expected[i + 4], ResamplingMatrices.reflect(i, 4), "index " + i);
    }
  }
}
