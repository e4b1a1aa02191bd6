package io.vigil.metrics.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.metric.CurvePoint;
import io.vigil.api.metric.MetricResult;
import io.vigil.api.metric.ScoredFrame;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Generated data against values from trusted implementations. The data and the expected values
 * in src/test/resources/reference were written by src/test/python/make_reference.py with numpy
 * 2.4.6, scipy 1.17.1 and scikit-learn 1.9.1: AUROC and ROC points from sklearn, F1-max from
 * sklearn's precision_recall_curve (cross-checked by brute force there), AU-PRO from the MVTec AD
 * script's algorithm on scipy.ndimage.label regions (see the script's docstring).
 */
class ReferenceValuesTest {
  private static final double TOLERANCE = 1e-12;

  @Test
  void imageMetricsMatchScikitLearn() {
    Properties expected = properties("image_case_expected.properties");
    List<ScoredFrame> frames = new ArrayList<>();
    List<String> lines = lines("image_case.csv");
    for (String line : lines.subList(1, lines.size())) {
      String[] cells = line.split(",");
      double score = Double.parseDouble(cells[0]);
      GroundTruth truth = cells[1].equals("good") ? GroundTruth.good(null) : GroundTruth.defect(cells[1], null);
      frames.add(new ScoredFrame("image-" + frames.size(), truth, score, null));
    }
    assertEquals(Integer.parseInt(expected.getProperty("images")), frames.size());

    MetricResult auroc = new ImageAurocMetric().compute(frames);
    assertEquals(number(expected, "image_auroc"), auroc.value(), TOLERANCE);
    MetricResult f1 = new F1MaxMetric().compute(frames);
    assertEquals(number(expected, "f1_max"), f1.value(), TOLERANCE);
    MetricResult zeroMiss = new ZeroMissThresholdMetric().compute(frames);
    assertEquals(number(expected, "zero_miss_threshold"), zeroMiss.value(), TOLERANCE);
    for (String detail : List.of("threshold", "precision", "recall")) {
      assertEquals(number(expected, "f1_max." + detail), f1.details().get(detail), TOLERANCE, detail);
    }
    assertEquals(number(expected, "zero_miss_threshold.false_reject_rate"), zeroMiss.details().get("false_reject_rate"), TOLERANCE);
    for (String type : List.of("crack", "hole", "scratch")) {
      String key = "defect." + type;
      assertEquals(number(expected, "image_auroc." + key), auroc.details().get(key), TOLERANCE, key);
      assertEquals(number(expected, "f1_max." + key), f1.details().get(key), TOLERANCE, key);
      assertEquals(number(expected, "zero_miss_threshold." + key), zeroMiss.details().get(key), TOLERANCE, key);
      assertEquals(number(expected, "zero_miss_threshold." + key + ".false_reject_rate"),
          zeroMiss.details().get(key + ".false_reject_rate"), TOLERANCE, key);
    }

    // sklearn's roc_curve(drop_intermediate=False): the same points, thresholds included.
    List<CurvePoint> roc = new RocMetric().compute(frames).curve();
    List<String> rocLines = lines("image_case_roc.csv");
    assertEquals(rocLines.size() - 1, roc.size());
    for (int i = 0; i < roc.size(); i++) {
      double[] row = Arrays.stream(rocLines.get(i + 1).split(",")).mapToDouble(cell -> Double.parseDouble(cell.replace("inf", "Infinity"))).toArray();
      assertEquals(row[0], roc.get(i).x(), TOLERANCE, "fpr " + i);
      assertEquals(row[1], roc.get(i).y(), TOLERANCE, "tpr " + i);
      assertEquals(row[2], roc.get(i).threshold(), 0.0, "threshold " + i);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"pixel_ties", "pixel_continuous"})
  void pixelMetricsMatchScikitLearnAndTheMvtecProtocol(String name) {
    Properties expected = properties(name + "_expected.properties");
    List<ScoredFrame> frames = pixelFrames(name, expected);
    MetricResult pixelAuroc = Frames.compute(new PixelAurocAccumulator(Long.MAX_VALUE), frames);
    assertEquals(number(expected, "pixel_auroc"), pixelAuroc.value(), TOLERANCE);
    assertEquals(1.0, pixelAuroc.details().get("exact"));
    assertEquals(0.0, pixelAuroc.details().get("error_bound"));
    MetricResult aupro = Frames.compute(new AuproAccumulator(Long.MAX_VALUE), frames);
    assertEquals(number(expected, "aupro"), aupro.value(), TOLERANCE);
    assertEquals(number(expected, "regions"), aupro.details().get("regions"));
  }

  /** The same generated maps as the Python script read: float32 little endian maps, uint8 masks. */
  static List<ScoredFrame> pixelFrames(String name, Properties expected) {
    int images = Integer.parseInt(expected.getProperty("images"));
    int width = Integer.parseInt(expected.getProperty("width"));
    int height = Integer.parseInt(expected.getProperty("height"));
    int pixels = width * height;
    ByteBuffer maps = ByteBuffer.wrap(bytes(name + "_maps.f32")).order(ByteOrder.LITTLE_ENDIAN);
    byte[] masks = bytes(name + "_masks.u8");
    assertEquals(images * pixels * 4, maps.capacity());
    assertEquals(images * pixels, masks.length);
    List<ScoredFrame> frames = new ArrayList<>();
    for (int i = 0; i < images; i++) {
      float[] map = new float[pixels];
      boolean[] mask = new boolean[pixels];
      for (int p = 0; p < pixels; p++) {
        map[p] = maps.getFloat((i * pixels + p) * 4);
        mask[p] = masks[i * pixels + p] != 0;
      }
      frames.add(Frames.pixels(name + "-" + i, width, height, map, mask));
    }
    return frames;
  }

  static double number(Properties properties, String key) {
    String value = properties.getProperty(key);
    assertNotNull(value, key + " missing from the reference file");
    return Double.parseDouble(value);
  }

  static Properties properties(String resource) {
    Properties properties = new Properties();
    try (InputStream in = open(resource)) {
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return properties;
  }

  private static List<String> lines(String resource) {
    return List.of(new String(bytes(resource), StandardCharsets.UTF_8).split("\n"));
  }

  private static byte[] bytes(String resource) {
    try (InputStream in = open(resource)) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static InputStream open(String resource) {
    InputStream in = ReferenceValuesTest.class.getResourceAsStream("/reference/" + resource);
    assertNotNull(in, "reference file " + resource + " missing; run src/test/python/make_reference.py");
    return in;
  }
}
