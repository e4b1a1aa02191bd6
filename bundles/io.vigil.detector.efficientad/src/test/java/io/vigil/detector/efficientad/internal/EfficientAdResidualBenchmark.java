package io.vigil.detector.efficientad.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.detector.common.features.AnomalyMapResampler;
import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.detector.common.validation.SyntheticDefect;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.common.validation.ValidationSet;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a unit test: how the student-teacher residual of a saved magnetic_tile model
 * becomes a map. The paper's mean squared residual over the channels, against the residual
 * weighted per channel by its spread on held-out good images, and against its full Mahalanobis
 * distance (mean and covariance of the good residuals). Validation: two folds of the held-out
 * images (statistics on one half, the five defect kinds over five draws on the other); then the
 * test split, statistics on all held-out images. Run with {@code -Dtest=EfficientAdResidualBenchmark
 * -Dbench.model=DIR} and read the lines starting with BENCH.
 */
class EfficientAdResidualBenchmark {
  private static final String[] VARIANTS = {"mean-square", "channel-weighted", "mahalanobis"};

  @Test
  void residualMaps() throws Exception {
    Path model = Path.of(System.getProperty("bench.model", "missing -Dbench.model"));
    Path root = DetectorTestSupport.shared().resolve("datasets/magnetic_tile");
    DeepLearningEngine engine = DetectorTestSupport.engine();
    EfficientAdModels models = new EfficientAdModels(engine, () -> List.of(DetectorTestSupport.mobileNetV2(engine)));
    try (EfficientAdDetector detector = models.load(model, null, null);
        NDManager manager = engine.newManager()) {
      EfficientAdParameters p = detector.metadata().parameters();
      List<Image> heldOut = EfficientAdValidationBenchmark.heldOutTiles(p.calibrationShare(), p.seed());
      AnomalyMapResampler resampler = new AnomalyMapResampler(p.inputSize(), p.smoothingSigma(), manager);
      EfficientAdInference inference = detector.inference();

      List<List<Image>> halves = List.of(new ArrayList<>(), new ArrayList<>());
      for (int i = 0; i < heldOut.size(); i++) {
        halves.get(i % 2).add(heldOut.get(i));
      }
      double[][] sums = new double[VARIANTS.length][2];
      int runs = 0;
      for (int fold = 0; fold < 2; fold++) {
        ResidualStatistics stats = ResidualStatistics.of(inference, halves.get(1 - fold), manager);
        for (long seed : new long[] {0, 7, 11, 13, 17}) {
          ValidationSet set = ValidationSet.of(halves.get(fold), p.inputSize(), ValidationSet.ALL_KINDS, new Random(seed));
          List<Image> defective = set.defective().stream().map(SyntheticDefect::image).toList();
          for (int v = 0; v < VARIANTS.length; v++) {
            ValidationMetrics m = ValidationMetrics.of(maps(inference, stats, v, set.good(), resampler, manager),
                maps(inference, stats, v, defective, resampler, manager), set.masks());
            sums[v][0] += m.imageAuroc();
            sums[v][1] += m.pixelAuroc();
          }
          runs++;
        }
      }
      for (int v = 0; v < VARIANTS.length; v++) {
        System.out.printf(Locale.ROOT, "BENCH validation %s: image AUROC %.4f pixel AUROC %.4f criterion %.4f%n",
            VARIANTS[v], sums[v][0] / runs, sums[v][1] / runs, (sums[v][0] + sums[v][1]) / (2 * runs));
      }

      ResidualStatistics stats = ResidualStatistics.of(inference, heldOut, manager);
      Map<String, List<Image>> byType = new LinkedHashMap<>();
      Map<String, List<Mask>> masksByType = new LinkedHashMap<>();
      try (var types = Files.list(root.resolve("test"))) {
        for (Path type : types.sorted().toList()) {
          String name = type.getFileName().toString();
          List<Image> images = new ArrayList<>();
          List<Mask> masks = new ArrayList<>();
          try (var files = Files.list(type)) {
            for (Path f : files.sorted().toList()) {
              Image image = ImageFiles.read(f);
              images.add(image);
              String stem = f.getFileName().toString().replaceFirst("\\.[^.]+$", "");
              masks.add("good".equals(name) ? Mask.empty(image.width(), image.height())
                  : ImageFiles.readMask(root.resolve("ground_truth").resolve(name).resolve(stem + "_mask.png")));
            }
          }
          byType.put(name, images);
          masksByType.put(name, masks);
        }
      }
      for (int v = 0; v < VARIANTS.length; v++) {
        List<AnomalyMap> good = maps(inference, stats, v, byType.get("good"), resampler, manager);
        List<AnomalyMap> defects = new ArrayList<>();
        List<Mask> masks = new ArrayList<>();
        StringBuilder types = new StringBuilder();
        for (var entry : byType.entrySet()) {
          if (!"good".equals(entry.getKey())) {
            List<AnomalyMap> typeMaps = maps(inference, stats, v, entry.getValue(), resampler, manager);
            defects.addAll(typeMaps);
            masks.addAll(masksByType.get(entry.getKey()));
            types.append(String.format(Locale.ROOT, " %s %.3f", entry.getKey(),
                ValidationMetrics.of(good, typeMaps, masksByType.get(entry.getKey())).imageAuroc()));
          }
        }
        ValidationMetrics m = ValidationMetrics.of(good, defects, masks);
        System.out.printf(Locale.ROOT, "BENCH test %s: image AUROC %.4f pixel AUROC %.4f;%s%n", VARIANTS[v],
            m.imageAuroc(), m.pixelAuroc(), types);
      }
    }
  }

  private static List<AnomalyMap> maps(EfficientAdInference inference, ResidualStatistics stats, int variant,
      List<Image> images, AnomalyMapResampler resampler, NDManager manager) {
    List<AnomalyMap> maps = new ArrayList<>();
    for (int start = 0; start < images.size(); start += 8) {
      List<Image> batch = images.subList(start, Math.min(images.size(), start + 8));
      try (NDManager scope = manager.newSubManager()) {
        NDArray residual = inference.studentTeacherResidual(inference.input(scope, batch));
        NDArray grids = stats.map(residual, variant);
        for (int i = 0; i < batch.size(); i++) {
          Image image = batch.get(i);
          maps.add(new AnomalyMap(image.width(), image.height(),
              resampler.toImage(grids.get(i), image.height(), image.width())));
        }
      }
    }
    return maps;
  }

  /** Per-channel second moments, mean and whitening (inverse Cholesky factor) of good residual vectors. */
  private record ResidualStatistics(float[] inverseMeanSquare, float[] mean, float[] whitening, int channels) {
    static ResidualStatistics of(EfficientAdInference inference, List<Image> good, NDManager manager) {
      double[] sum = null;
      double[] products = null;
      long count = 0;
      int c = 0;
      for (int start = 0; start < good.size(); start += 8) {
        try (NDManager scope = manager.newSubManager()) {
          NDArray residual = inference.studentTeacherResidual(inference.input(scope, good.subList(start,
              Math.min(good.size(), start + 8))));
          c = (int) residual.getShape().get(1);
          NDArray vectors = residual.transpose(0, 2, 3, 1).reshape(-1, c);
          if (sum == null) {
            sum = new double[c];
            products = new double[c * c];
          }
          float[] s = vectors.sum(new int[] {0}).toFloatArray();
          float[] pr = vectors.transpose().matMul(vectors).toFloatArray();
          for (int i = 0; i < c; i++) {
            sum[i] += s[i];
          }
          for (int i = 0; i < c * c; i++) {
            products[i] += pr[i];
          }
          count += vectors.getShape().get(0);
        }
      }
      float[] inverseMeanSquare = new float[c];
      float[] mean = new float[c];
      double[][] covariance = new double[c][c];
      double trace = 0;
      for (int i = 0; i < c; i++) {
        inverseMeanSquare[i] = (float) (count / products[i * c + i]);
        mean[i] = (float) (sum[i] / count);
      }
      for (int i = 0; i < c; i++) {
        for (int j = 0; j < c; j++) {
          covariance[i][j] = products[i * c + j] / count - (sum[i] / count) * (sum[j] / count);
        }
        trace += covariance[i][i];
      }
      for (int i = 0; i < c; i++) {
        covariance[i][i] += 1e-3 * trace / c; // ridge: keeps near-constant directions from dominating
      }
      double[][] l = cholesky(covariance);
      double[][] inverse = lowerInverse(l);
      float[] whitening = new float[c * c];
      for (int i = 0; i < c; i++) {
        for (int j = 0; j < c; j++) {
          whitening[i * c + j] = (float) inverse[j][i]; // transposed: vectors (M, C) x W^T
        }
      }
      return new ResidualStatistics(inverseMeanSquare, mean, whitening, c);
    }

    NDArray map(NDArray residual, int variant) {
      NDManager m = residual.getManager();
      int c = channels;
      return switch (variant) {
        case 0 -> residual.square().mean(new int[] {1});
        case 1 -> residual.square().mul(m.create(inverseMeanSquare, new Shape(1, c, 1, 1))).mean(new int[] {1});
        default -> {
          Shape shape = residual.getShape();
          NDArray vectors = residual.transpose(0, 2, 3, 1).reshape(-1, c).sub(m.create(mean, new Shape(1, c)));
          NDArray whitened = vectors.matMul(m.create(whitening, new Shape(c, c)));
          yield whitened.square().mean(new int[] {1}).reshape(shape.get(0), shape.get(2), shape.get(3));
        }
      };
    }
  }

  static double[][] cholesky(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double s = a[i][j];
        for (int k = 0; k < j; k++) {
          s -= l[i][k] * l[j][k];
        }
        l[i][j] = i == j ? Math.sqrt(s) : s / l[j][j];
      }
    }
    return l;
  }

  static double[][] lowerInverse(double[][] l) {
    int n = l.length;
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      inv[i][i] = 1 / l[i][i];
      for (int j = 0; j < i; j++) {
        double s = 0;
        for (int k = j; k < i; k++) {
          s -= l[i][k] * inv[k][j];
        }
        inv[i][j] = s / l[i][i];
      }
    }
    return inv;
  }
}
