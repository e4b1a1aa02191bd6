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
import ai.djl.training.ParameterStore;
import io.vigil.api.detector.TrainingException;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The loss and map pieces against values worked out by hand, and the networks' shapes. */
class EfficientAdPiecesTest {

  /**
   * Errors 1..10, quantile 0.8: position 0.8 x 9 = 7.2 between the sorted 8th (8) and 9th (9)
   * values, threshold 8 + 0.2 = 8.2; at or above it: 9 and 10, mean 9.5. Each of the two gets
   * gradient 1/2, the other eight none.
   */
  @Test
  void hardFeatureLossAveragesOnlyTheErrorsAtOrAboveTheQuantile() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      NDArray errors = manager.create(new float[] {3, 10, 1, 7, 9, 2, 8, 4, 6, 5}, new Shape(2, 5));
      assertEquals(8.2, HardFeatureLoss.threshold(errors, 0.8), 1e-6);
      errors.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getEngine("MXNet").newGradientCollector()) {
        NDArray loss = HardFeatureLoss.loss(errors, 0.8);
        assertEquals(9.5f, loss.getFloat(), 1e-6f);
        collector.backward(loss);
      }
      assertArrayEquals(new float[] {0, 0.5f, 0, 0, 0.5f, 0, 0, 0, 0, 0}, errors.getGradient().toFloatArray(), 1e-6f);
    }
  }

  /**
   * The paper's quantile 0.999 of 1..2000: position 0.999 x 1999 = 1997.001, threshold
   * 1998 + 0.001 = 1998.001; at or above: 1999 and 2000, mean 1999.5.
   */
  @Test
  void hardFeatureLossAtThePapersQuantileKeepsTheTopTenthOfAPercent() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      float[] values = new float[2000];
      for (int i = 0; i < values.length; i++) {
        values[(i * 7) % 2000] = i + 1; // 7 and 2000 are coprime: a permutation, so order cannot matter
      }
      NDArray errors = manager.create(values, new Shape(1, 2, 10, 100));
      assertEquals(1998.001, HardFeatureLoss.threshold(errors, 0.999), 1e-3);
      assertEquals(1999.5f, HardFeatureLoss.loss(errors, 0.999).getFloat(), 1e-3f);
    }
  }

  /**
   * Student-teacher values 0..100 on good images: q_a = 0.9 gives 90, q_b = 0.995 gives 99.5;
   * student-autoencoder values 0, 2, .., 200: 180 and 199. A value (st 94.75, ae 180) becomes
   * 0.5 x 0.1 x (4.75 / 9.5) + 0.5 x 0.1 x 0 = 0.025; (99.5, 199) becomes 0.1; (90, 180) 0.
   */
  @Test
  void mapNormalizationByHand() {
    float[] st = new float[101];
    float[] ae = new float[101];
    for (int i = 0; i <= 100; i++) {
      st[i] = i;
      ae[i] = 2 * i;
    }
    MapNormalization n = MapNormalization.of(st, ae, 0.9, 0.995);
    assertEquals(90, n.studentLow(), 1e-9);
    assertEquals(99.5, n.studentHigh(), 1e-9);
    assertEquals(180, n.autoencoderLow(), 1e-9);
    assertEquals(199, n.autoencoderHigh(), 1e-9);
    assertEquals(0.025, n.combine(94.75, 180), 1e-12);
    assertEquals(0.1, n.combine(99.5, 199), 1e-12);
    assertEquals(0, n.combine(90, 180), 1e-12);
    assertEquals(-0.05 * 10 / 9.5 - 0.05 * 180 / 19, n.combine(80, 0), 1e-12);
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      NDArray combined = n.combine(manager.create(new float[] {94.75f, 99.5f, 90f}),
          manager.create(new float[] {180f, 199f, 180f}));
      assertArrayEquals(new float[] {0.025f, 0.1f, 0f}, combined.toFloatArray(), 1e-6f);
    }
  }

  /**
   * One map alone keeps its own half of the sum: with the quantiles above, (99.5, 199) gives 0.05
   * from either map alone (0.1 from both); (80, 0) gives -0.05 x 10 / 9.5 from the student-teacher
   * map alone and -0.05 x 180 / 19 from the student-autoencoder map alone, whatever the other value.
   */
  @Test
  void oneMapAloneCountsAsItsHalfOfTheSum() {
    MapNormalization n = new MapNormalization(90, 99.5, 180, 199);
    assertEquals(n, n.counting("both"));
    MapNormalization st = n.counting("student-teacher");
    MapNormalization ae = n.counting("student-autoencoder");
    assertEquals(0.05, st.combine(99.5, 199), 1e-12);
    assertEquals(0.05, ae.combine(99.5, 199), 1e-12);
    assertEquals(-0.05 * 10 / 9.5, st.combine(80, 0), 1e-12);
    assertEquals(-0.05 * 10 / 9.5, st.combine(80, 1e6), 1e-12);
    assertEquals(-0.05 * 180 / 19, ae.combine(80, 0), 1e-12);
    assertEquals(-0.05 * 180 / 19, ae.combine(-1e6, 0), 1e-12);
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      NDArray studentTeacher = manager.create(new float[] {99.5f, 80f, 80f});
      NDArray studentAutoencoder = manager.create(new float[] {199f, 0f, 1e6f});
      assertArrayEquals(new float[] {0.05f, (float) (-0.05 * 10 / 9.5), (float) (-0.05 * 10 / 9.5)},
          st.combine(studentTeacher, studentAutoencoder).toFloatArray(), 1e-6f);
      assertArrayEquals(new float[] {0.05f, (float) (-0.05 * 180 / 19), (float) (0.05 * (1e6 - 180) / 19)},
          ae.combine(studentTeacher, studentAutoencoder).toFloatArray(), 1e-2f);
    }
    assertThrows(IllegalArgumentException.class, () -> n.counting("teacher"));
  }

  /** The teacher's grid comes out of both networks at either stride; the student has twice the channels. */
  @Test
  void studentAndAutoencoderMatchTheTeachersGrid() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      for (int stride : new int[] {4, 8}) {
        for (int size : new int[] {64, 96, 224}) {
          EfficientAdNetworks networks = new EfficientAdNetworks(size, 24, stride, 16, 8);
          networks.initialize(manager);
          NDArray rgb = manager.randomUniform(0, 1, new Shape(2, 3, size, size));
          ParameterStore store = new ParameterStore(manager, false);
          assertEquals(new Shape(2, 48, size / stride, size / stride), networks.student(store, rgb, false).getShape());
          assertEquals(new Shape(2, 24, size / stride, size / stride),
              networks.autoencoder(store, rgb, false).getShape());
          assertTrue(networks.flopsPerImage() > 0);
        }
      }
      assertThrows(IllegalArgumentException.class, () -> new EfficientAdNetworks(64, 24, 16, 16, 8));
    }
  }

  /**
   * student.context widens what one grid cell of the student sees: one input pixel changed moves
   * a row of cells 6 wide with the paper's PDN at stride 8 (receptive field 49 px), and 2 cells
   * more per extra 3x3 convolution, on the same grid.
   */
  @Test
  void studentContextWidensTheReceptiveFieldOnTheSameGrid() {
    try (NDManager manager = NDManager.newBaseManager("MXNet")) {
      int size = 160;
      NDArray rgb = manager.randomUniform(0, 1, new Shape(1, 3, size, size));
      float[] pixels = rgb.toFloatArray();
      pixels[80 * size + 80] += 5; // channel 0, row 80, column 80
      NDArray changed = manager.create(pixels, rgb.getShape());
      int[] widths = new int[3];
      for (int context = 0; context <= 2; context++) {
        EfficientAdNetworks networks = new EfficientAdNetworks(size, 4, 8, 16, 8, 0, context);
        networks.initialize(manager);
        ParameterStore store = new ParameterStore(manager, false);
        NDArray before = networks.student(store, rgb, false);
        NDArray after = networks.student(store, changed, false);
        assertEquals(new Shape(1, 8, size / 8, size / 8), after.getShape());
        // Cells of the changed pixel's row of the grid (row 10) whose outputs moved.
        float[] difference = after.sub(before).abs().sum(new int[] {1}).toFloatArray();
        int grid = size / 8;
        for (int column = 0; column < grid; column++) {
          if (difference[10 * grid + column] > 1e-6f) {
            widths[context]++;
          }
        }
      }
      System.out.println("cells moved by one pixel, student.context 0, 1, 2: " + java.util.Arrays.toString(widths));
      assertEquals(6, widths[0], "the paper's PDN");
      assertEquals(8, widths[1], "one 3x3 convolution more");
      assertEquals(10, widths[2], "two more");
    }
  }

  @Test
  void settingsAreCheckedAndReadBack() throws Exception {
    TrainingException e = assertThrows(TrainingException.class,
        () -> EfficientAdParameters.defaults().with(Map.of("stesp", 10)));
    assertTrue(e.getMessage().contains("stesp"));
    assertThrows(TrainingException.class, () -> EfficientAdParameters.defaults().with(Map.of("input.size", 100)));
    assertThrows(TrainingException.class,
        () -> EfficientAdParameters.defaults().with(Map.of("map.quantile.low", 0.995, "map.quantile.high", 0.9)));
    assertEquals(EfficientAdParameters.defaults(), EfficientAdParameters.defaults().with(Map.of("epochs", 3)),
        "other detectors' epochs are ignored");
    EfficientAdParameters p = EfficientAdParameters.defaults().with(Map.of("steps", "120", "teacher.taps", "block_2_output"));
    assertEquals(120, p.steps());
    assertEquals(p, EfficientAdParameters.defaults().with(p.toMap()), "the stored form reads back the same");
    assertTrue(!EfficientAdParameters.defaults().penalised(), "no penalty without generic images");
    EfficientAdParameters penalised = EfficientAdParameters.defaults().with(Map.of("penalty.images", "/generic"));
    assertTrue(penalised.penalised());
    assertEquals(penalised, EfficientAdParameters.defaults().with(penalised.toMap()));
    assertTrue(!EfficientAdParameters.defaults().with(Map.of("penalty.images", "/generic", "penalty.weight", 0)).penalised());
    assertThrows(TrainingException.class, () -> EfficientAdParameters.defaults().with(Map.of("penalty.weight", -1)));
    assertEquals("student-teacher", EfficientAdParameters.defaults().with(Map.of("map.parts", "student-teacher")).mapParts());
    assertThrows(TrainingException.class, () -> EfficientAdParameters.defaults().with(Map.of("map.parts", "teacher")));
  }
}
