package io.vigil.detector.common.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PatchFeaturesTest {
  private static NDManager manager;

  @BeforeAll
  static void start() {
    manager = NDManager.newBaseManager("MXNet");
  }

  @AfterAll
  static void stop() {
    manager.close();
  }

  /** torch.nn.functional.adaptive_avg_pool1d, 5 -> 3: windows {0,1}, {1,2,3}, {3,4} (by hand). */
  @Test
  void adaptivePoolingUsesPyTorchWindows() {
    NDArray x = manager.create(new float[] {1, 2, 3, 4, 5}).reshape(1, 5);
    assertArrayEquals(new float[] {1.5f, 3f, 4.5f}, PatchFeatures.adaptiveAveragePool(x, 3).toFloatArray(), 1e-6f);
    NDArray y = manager.create(new float[] {1, 2, 3, 4, 5, 6}).reshape(1, 6);
    assertArrayEquals(new float[] {2f, 5f}, PatchFeatures.adaptiveAveragePool(y, 2).toFloatArray(), 1e-6f);
  }

  /** Unfold of a 2x2 map, zero padding 1: cell (0,0)'s neighbourhood is [0,0,0, 0,a,b, 0,c,d]. */
  @Test
  void unfoldIsChannelMajorWithZeroPadding() {
    NDArray x = manager.create(new float[] {1, 2, 3, 4}).reshape(1, 1, 2, 2);
    NDArray unfolded = PatchFeatures.unfold3x3(x); // (1, 9, 2, 2)
    assertEquals(new Shape(1, 9, 2, 2), unfolded.getShape());
    float[] cell00 = unfolded.get("0, :, 0, 0").toFloatArray();
    assertArrayEquals(new float[] {0, 0, 0, 0, 1, 2, 0, 3, 4}, cell00, 0f);
    float[] cell11 = unfolded.get("0, :, 1, 1").toFloatArray();
    assertArrayEquals(new float[] {1, 2, 0, 3, 4, 0, 0, 0, 0}, cell11, 0f);
  }

  @Test
  void theAveragePoolShortcutEqualsTheGeneralPath() {
    NDArray level = manager.randomUniform(0f, 1f, new Shape(2, 4, 5, 6));
    NDArray shortcut = new PatchFeatures(4, 4).neighbourhoodPool(level);
    NDArray general = PatchFeatures.adaptiveAveragePool(PatchFeatures.unfold3x3(level).transpose(0, 2, 3, 1), 4)
        .transpose(0, 3, 1, 2);
    assertArrayEquals(general.toFloatArray(), shortcut.toFloatArray(), 1e-6f);
  }

  @Test
  void theRowPoolShortcutEqualsTheGeneralPath() {
    NDArray level = manager.randomUniform(0f, 1f, new Shape(2, 4, 5, 6));
    NDArray shortcut = new PatchFeatures(12, 12).neighbourhoodPool(level);
    NDArray general = PatchFeatures.adaptiveAveragePool(PatchFeatures.unfold3x3(level).transpose(0, 2, 3, 1), 12)
        .transpose(0, 3, 1, 2);
    assertArrayEquals(general.toFloatArray(), shortcut.toFloatArray(), 1e-6f);
  }

  @Test
  void levelsAreAlignedOnTheFinestGridAndPooledToTheEmbedding() {
    NDArray fine = manager.randomUniform(0f, 1f, new Shape(2, 8, 8, 8));
    NDArray coarse = manager.randomUniform(0f, 1f, new Shape(2, 16, 4, 4));
    NDArray embedded = new PatchFeatures(24, 12).embed(new NDList(fine, coarse));
    assertEquals(new Shape(2, 8, 8, 12), embedded.getShape());
    // The grouped-channel shortcut equals PyTorch's pooling over the (level, dimension) vector.
    NDList levels = new NDList(fine, coarse);
    PatchFeatures features = new PatchFeatures(24, 12);
    NDArray concatenated = ai.djl.ndarray.NDArrays.concat(new NDList(
        features.neighbourhoodPool(fine),
        ResamplingMatrices.resizeBilinear(features.neighbourhoodPool(coarse), 8, 8)), 1).transpose(0, 2, 3, 1);
    assertArrayEquals(PatchFeatures.adaptiveAveragePool(concatenated, 12).toFloatArray(),
        features.embed(levels).toFloatArray(), 1e-6f);
    // Pooling commutes with the (linear) resize: embed a constant coarse level and compare.
    NDArray constant = manager.ones(new Shape(1, 16, 4, 4));
    NDArray interior = new PatchFeatures(16, 16).embed(new NDList(constant.mul(2))).get("0, 1:3, 1:3, :");
    assertArrayEquals(manager.full(new Shape(2, 2, 16), 2f).toFloatArray(), interior.toFloatArray(), 1e-6f);
  }

  /** KEEP: each level 3x3-averaged with all its channels, levels of different widths concatenated. */
  @Test
  void keepConcatenatesEveryChannelOfEveryLevel() {
    NDArray fine = manager.randomUniform(0f, 1f, new Shape(1, 3, 6, 6));
    NDArray coarse = manager.randomUniform(0f, 1f, new Shape(1, 5, 3, 3));
    PatchFeatures keep = new PatchFeatures(PatchFeatures.KEEP, PatchFeatures.KEEP);
    NDArray embedded = keep.embed(new NDList(fine, coarse));
    assertEquals(new Shape(1, 6, 6, 8), embedded.getShape());
    assertEquals(8, keep.dimension(java.util.List.of(3, 5)));
    NDArray expected = ai.djl.ndarray.NDArrays.concat(new NDList(
        new PatchFeatures(3, 3).neighbourhoodPool(fine),
        ResamplingMatrices.resizeBilinear(new PatchFeatures(5, 5).neighbourhoodPool(coarse), 6, 6)), 1)
        .transpose(0, 2, 3, 1);
    assertArrayEquals(expected.toFloatArray(), embedded.toFloatArray(), 1e-6f);
    // Cell (1, 1) of the fine level: the plain mean of its 3x3 neighbourhood, channel 0.
    float mean = fine.get("0, 0, 0:3, 0:3").mean().getFloat();
    assertEquals(mean, embedded.get("0, 1, 1, 0").getFloat(), 1e-6f);
  }
}
