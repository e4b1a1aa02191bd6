package io.vigil.detector.efficientad.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The paper's penalty on generic images: the loss by hand, and what a crop may be. */
class PenaltyImagesTest {

  /** Outputs 1, 2, 3, 4: mean of squares (1 + 4 + 9 + 16) / 4 = 7.5, gradient 2x / 4 = 0.5, 1, 1.5, 2. */
  @Test
  void thePenaltyIsTheMeanSquaredOutput() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      NDArray out = manager.create(new float[] {1, 2, 3, 4}, new Shape(1, 1, 2, 2));
      out.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
        NDArray loss = PenaltyImages.loss(out);
        assertEquals(7.5f, loss.getFloat(), 1e-6f);
        collector.backward(loss);
      }
      assertArrayEquals(new float[] {0.5f, 1, 1.5f, 2}, out.getGradient().toFloatArray(), 1e-6f);
    }
  }

  /**
   * Two 3 x 4 x 4 images with distinct values, crops of 2 x 2: every crop is one of the 9 windows
   * of one image, mirrored or not, each channel kept or all three replaced by their mean; over 200
   * crops every kind turns up, about 30% grey.
   */
  @Test
  void aCropIsAWindowMirroredOrGreyed() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      float[] values = new float[2 * 3 * 4 * 4];
      for (int i = 0; i < values.length; i++) {
        values[i] = i;
      }
      PenaltyImages penalty = new PenaltyImages(manager.create(values, new Shape(2, 3, 4, 4)), 2);
      NDArray crops = penalty.crops(200, new Random(1), manager);
      assertEquals(new Shape(200, 3, 2, 2), crops.getShape());
      float[] all = crops.toFloatArray();
      int grey = 0;
      int mirrored = 0;
      for (int c = 0; c < 200; c++) {
        float[] crop = Arrays.copyOfRange(all, c * 12, c * 12 + 12);
        String kind = kind(values, crop);
        assertTrue(kind != null, "crop " + c + " is no window of the images: " + Arrays.toString(crop));
        grey += kind.contains("grey") ? 1 : 0;
        mirrored += kind.contains("mirrored") ? 1 : 0;
      }
      assertTrue(grey > 40 && grey < 80, "grey crops: " + grey);
      assertTrue(mirrored > 70 && mirrored < 130, "mirrored crops: " + mirrored);
    }
  }

  @Test
  void aFolderWithoutImagesIsRefused(@TempDir Path temp) {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      assertThrows(IOException.class, () -> PenaltyImages.read(temp, 64, manager));
      assertThrows(IOException.class, () -> PenaltyImages.read(temp.resolve("missing"), 64, manager));
    }
  }

  /** "plain", "mirrored", "grey", "mirrored grey" or null: what {@code crop} (3 x 2 x 2) is of the images. */
  private static String kind(float[] images, float[] crop) {
    for (int n = 0; n < 2; n++) {
      for (int y = 0; y <= 2; y++) {
        for (int x = 0; x <= 2; x++) {
          for (boolean mirror : new boolean[] {false, true}) {
            float[] window = new float[12];
            for (int ch = 0; ch < 3; ch++) {
              for (int i = 0; i < 2; i++) {
                for (int j = 0; j < 2; j++) {
                  int col = mirror ? x + 1 - j : x + j;
                  window[ch * 4 + i * 2 + j] = images[((n * 3 + ch) * 4 + y + i) * 4 + col];
                }
              }
            }
            float[] greyWindow = new float[12];
            for (int k = 0; k < 4; k++) {
              float mean = (window[k] + window[4 + k] + window[8 + k]) / 3;
              greyWindow[k] = mean;
              greyWindow[4 + k] = mean;
              greyWindow[8 + k] = mean;
            }
            String name = mirror ? "mirrored" : "plain";
            if (close(window, crop)) {
              return name;
            }
            if (close(greyWindow, crop)) {
              return name + " grey";
            }
          }
        }
      }
    }
    return null;
  }

  private static boolean close(float[] a, float[] b) {
    for (int i = 0; i < a.length; i++) {
      if (Math.abs(a[i] - b[i]) > 1e-4) {
        return false;
      }
    }
    return true;
  }
}
