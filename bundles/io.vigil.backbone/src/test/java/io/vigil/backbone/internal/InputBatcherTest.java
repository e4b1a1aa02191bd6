package io.vigil.backbone.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.modality.cv.Image.Interpolation;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.image.Image;
import io.vigil.backbone.InputBatcher;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The Java batcher gives the input the engine's own operators gave (uint8 to float, divided by
 * 255, the engine's bilinear image resize, channels first, stacked) within float rounding, for
 * grey, RGB, RGBA and 16-bit images, shrunk, enlarged, unchanged and of other aspect ratios.
 */
class InputBatcherTest {
  private static NDManager manager;

  @BeforeAll
  static void open() {
    manager = NDManager.newBaseManager("MXNet");
  }

  @AfterAll
  static void close() {
    manager.close();
  }

  @ParameterizedTest
  @CsvSource({
    "320, 240, 1, 8, 224, 224",
    "224, 224, 1, 8, 224, 224",
    "224, 224, 3, 8, 224, 224",
    "100, 37, 3, 8, 224, 224",
    "7, 5, 1, 8, 64, 48",
    "613, 1201, 4, 8, 224, 224",
    "300, 200, 1, 16, 256, 256",
    "449, 449, 3, 16, 224, 224",
    "1, 1, 1, 8, 32, 32",
    "448, 448, 1, 8, 224, 224"
  })
  void equalsTheEngineOperatorsPath(int sourceWidth, int sourceHeight, int channels, int bits, int width,
      int height) {
    Random random = new Random(sourceWidth * 31L + sourceHeight + channels + bits);
    List<Image> images = List.of(random(random, sourceWidth, sourceHeight, channels, bits),
        random(random, sourceWidth, sourceHeight, channels, bits));
    try (NDManager scope = manager.newSubManager()) {
      NDArray expected = engineOperators(scope, images, width, height);
      NDArray actual = new InputBatcher().batch(scope, images, width, height);
      assertEquals(expected.getShape(), actual.getShape());
      float[] e = expected.toFloatArray();
      float[] a = actual.toFloatArray();
      double worst = 0;
      for (int i = 0; i < e.length; i++) {
        worst = Math.max(worst, Math.abs(e[i] - a[i]));
      }
      assertTrue(worst < 1e-6, "largest difference " + worst);
    }
  }

  @Test
  void reusesItsBufferAcrossBatchSizesWithoutMixingThemUp() {
    Random random = new Random(3);
    InputBatcher batcher = new InputBatcher();
    List<Image> eight = java.util.stream.IntStream.range(0, 8)
        .mapToObj(i -> random(random, 50, 40, 1, 8)).toList();
    try (NDManager scope = manager.newSubManager()) {
      float[] big = batcher.batch(scope, eight, 32, 32).toFloatArray();
      float[] one = batcher.batch(scope, List.of(eight.get(7)), 32, 32).toFloatArray();
      float[] bigAgain = batcher.batch(scope, eight, 32, 32).toFloatArray();
      assertEquals(3 * 32 * 32, one.length);
      assertArrayEquals(big, bigAgain);
      float[] lastOfBig = java.util.Arrays.copyOfRange(big, 7 * one.length, 8 * one.length);
      assertArrayEquals(lastOfBig, one);
    }
  }

  /** The path the batcher replaced, kept here as the reference (InputBatcherBenchmark times it too). */
  static NDArray engineOperators(NDManager scope, List<Image> images, int width, int height) {
    NDList resized = new NDList();
    for (Image image : images) {
      Image rgb = image.toRgb8();
      NDArray hwc = scope.create(ByteBuffer.wrap(rgb.pixels8()), new Shape(rgb.height(), rgb.width(), 3),
          DataType.UINT8).toType(DataType.FLOAT32, false).divi(255f);
      if (image.width() != width || image.height() != height) {
        hwc = NDImageUtils.resize(hwc, width, height, Interpolation.BILINEAR);
      }
      resized.add(hwc.transpose(2, 0, 1));
    }
    return NDArrays.stack(resized);
  }

  private static Image random(Random random, int width, int height, int channels, int bits) {
    int n = width * height * channels;
    if (bits == 8) {
      byte[] pixels = new byte[n];
      random.nextBytes(pixels);
      return Image.of8Bit(width, height, channels, pixels);
    }
    short[] pixels = new short[n];
    for (int i = 0; i < n; i++) {
      pixels[i] = (short) random.nextInt(65536);
    }
    return Image.of16Bit(width, height, channels, pixels);
  }
}
