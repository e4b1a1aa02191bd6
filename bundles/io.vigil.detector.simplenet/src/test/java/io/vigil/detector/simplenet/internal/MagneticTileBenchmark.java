package io.vigil.detector.simplenet.internal;

import io.vigil.detector.common.testing.DetectorTestSupport;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.detector.common.features.AnomalyMapResampler;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.simplenet.internal.ModelMetadata.Checkpoint;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The experiment harness, not a unit test (surefire's default includes skip it): trains SimpleNet
 * on ../shared/datasets/magnetic_tile/train/good (or a random subset) exactly as the product does,
 * and prints beside every validation the same figures on the test split, labelled TEST. Defaults
 * are chosen on the validation figures only; the TEST columns confirm. Test maps are computed at
 * the input size (224 px, masks resized nearest), so TEST figures approximate `./vigil eval`,
 * which scores at each image's own size.
 *
 * <p>{@code ./mvnw -B -o verify -pl bundles/io.vigil.detector.simplenet -Dtest=MagneticTileBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.train=300 -Dbench.set='taps=block_5_output,block_12_output;training.seconds=60'}
 * and read the lines starting with BENCH.
 */
class MagneticTileBenchmark {
  @Test
  void validationAndTestCurves() throws Exception {
    Path root = Path.of(System.getProperty("vigil.shared"), "datasets/magnetic_tile");
    List<Path> trainFiles;
    try (var files = Files.list(root.resolve("train/good"))) {
      trainFiles = new ArrayList<>(files.sorted().toList());
    }
    int trainCount = Integer.getInteger("bench.train", trainFiles.size());
    Collections.shuffle(trainFiles, new Random(42));
    List<Image> train = new ArrayList<>();
    for (Path f : trainFiles.subList(0, Math.min(trainCount, trainFiles.size()))) {
      train.add(ImageFiles.read(f));
    }
    Map<String, Object> overrides = new HashMap<>();
    for (String kv : System.getProperty("bench.set", "").split(";")) {
      if (!kv.isBlank()) {
        overrides.put(kv.split("=")[0].trim(), kv.split("=")[1].trim());
      }
    }
    SimpleNetParameters params = SimpleNetParameters.defaults().with(overrides);
    System.out.println("BENCH parameters " + params.toMap() + " train images " + train.size());
    var engine = DetectorTestSupport.engine();
    var mobileNet = DetectorTestSupport.mobileNetV2(engine);
    var models = new SimpleNetModels(engine, () -> List.of(mobileNet));
    int size = params.inputSize();

    try (NDManager manager = engine.engine().newBaseManager()) {
      // Test split: features once (cached in /tmp across runs: they depend on the embedding only), masks at the input size.
      long t0 = System.nanoTime();
      Path cache = Path.of(System.getProperty("java.io.tmpdir"), "vigil-bench", String.join("+", params.taps()) + "-"
          + params.levelDimension() + "-" + params.embeddingDimension() + "-" + size + ".ndlist");
      boolean cached = Files.isRegularFile(cache);
      var inference = new SimpleNetInference(mobileNet.load(null), params, manager.newSubManager());
      List<NDArray> goodFeatures = new ArrayList<>();
      List<NDArray> defectFeatures = new ArrayList<>();
      List<Mask> masks = new ArrayList<>();
      try (var dirs = Files.list(root.resolve("test"))) {
        for (Path d : dirs.sorted().toList()) {
          boolean good = d.getFileName().toString().equals("good");
          List<Path> files;
          try (var list = Files.list(d)) {
            files = list.sorted().toList();
          }
          for (int i = 0; i < files.size(); i += 8) {
            List<Image> images = new ArrayList<>();
            for (Path f : files.subList(i, Math.min(files.size(), i + 8))) {
              images.add(ImageFiles.read(f));
              if (!good) {
                String name = f.getFileName().toString().replaceAll("\\.[a-z]+$", "") + "_mask.png";
                masks.add(nearest(ImageFiles.readMask(root.resolve("ground_truth").resolve(d.getFileName()).resolve(name)), size));
              }
            }
            try (NDManager scope = manager.newSubManager()) { // the backbone's activations go with it
              if (cached) {
              continue;
            }
            NDArray features = inference.patchFeatures(scope, images);
              features.attach(manager);
              (good ? goodFeatures : defectFeatures).add(features);
            }
          }
        }
      }
      NDArray testGood;
      NDArray testDefect;
      if (cached) {
        NDList list = NDList.decode(manager, Files.readAllBytes(cache));
        testGood = list.get(0);
        testDefect = list.get(1);
      } else {
        testGood = NDArrays.concat(new NDList(goodFeatures), 0); // (N, h, w, d) raw
        testDefect = NDArrays.concat(new NDList(defectFeatures), 0);
        Files.createDirectories(cache.getParent());
        Files.write(cache, new NDList(testGood, testDefect).encode());
      }
      System.out.printf("BENCH test features %d good + %d defective in %.0f s%n", testGood.getShape().get(0),
          testDefect.getShape().get(0), (System.nanoTime() - t0) / 1e9);
      AnomalyMapResampler resampler = new AnomalyMapResampler(size, params.smoothingSigma(), manager);
      EmbeddingStandardization[] standardization = new EmbeddingStandardization[1];

      Function<Function<NDArray, NDArray>, ValidationMetrics> test = grids -> {
        List<AnomalyMap> good = maps(testGood, grids, resampler, size);
        List<AnomalyMap> defect = maps(testDefect, grids, resampler, size);
        return ValidationMetrics.of(good, defect, masks, 2);
      };
      var trainer = new SimpleNetTrainer(engine.engine(), params, p -> {});
      trainer.observe(new SimpleNetTrainer.TrainingObserver() {
        @Override
        public void embedding(EmbeddingStandardization s, NearestNeighbourCeiling nearest) {
          standardization[0] = s;
          if (nearest != null && Boolean.parseBoolean(System.getProperty("bench.testCeiling", "true"))) {
            long e0 = System.nanoTime();
            ValidationMetrics m = test.apply(raw -> nearest.scoreGrids(s == null ? raw : s.apply(raw)));
            System.out.printf("BENCH ceiling TEST image AUROC %.4f pixel AUROC %.4f (%.0f s)%n", m.imageAuroc(),
                m.pixelAuroc(), (System.nanoTime() - e0) / 1e9);
          }
        }

        @Override
        public void validated(Checkpoint c, SimpleNetNetwork.FoldedScorer scorer) {
          ValidationMetrics m = test.apply(raw -> scorer.scoreMaps(raw.transpose(0, 3, 1, 2)));
          System.out.printf("BENCH step %d %.0f s validation image %.4f pixel %.4f | TEST image %.4f pixel %.4f%n",
              c.step(), c.seconds(), c.imageAuroc(), c.pixelAuroc(), m.imageAuroc(), m.pixelAuroc());
        }
      });
      Path dir = Files.createTempDirectory("bench").resolve("model");
      long t1 = System.nanoTime();
      try (var detector = trainer.train(DetectorTestSupport.source("train", train), models.backbone("mobilenet_v2", null),
          engine.newManager(), dir, "bench")) {
        var summary = detector.metadata().training();
        System.out.printf("BENCH trained in %.0f s, %d steps, kept step %d, noise %.5f (%s), ceiling validation %s%n",
            (System.nanoTime() - t1) / 1e9, summary.steps(), summary.bestStep(), summary.noiseStd(), summary.noiseRule(),
            summary.ceiling());
      }
      inference.close();
    }
  }

  private static List<AnomalyMap> maps(NDArray features, Function<NDArray, NDArray> grids, AnomalyMapResampler resampler,
      int size) {
    List<AnomalyMap> maps = new ArrayList<>();
    long n = features.getShape().get(0);
    for (long start = 0; start < n; start += 16) {
      try (NDManager scope = features.getManager().newSubManager()) {
        NDArray batch = features.get(start + ":" + Math.min(n, start + 16));
        batch.attach(scope);
        NDArray g = grids.apply(batch);
        for (int i = 0; i < g.getShape().get(0); i++) {
          maps.add(new AnomalyMap(size, size, resampler.toImage(g.get(i), size, size)));
        }
      }
    }
    return maps;
  }

  /** The mask resized to size x size, nearest neighbour. */
  private static Mask nearest(Mask mask, int size) {
    boolean[] out = new boolean[size * size];
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        out[y * size + x] = mask.isDefect((int) ((x + 0.5) * mask.width() / size), (int) ((y + 0.5) * mask.height() / size));
      }
    }
    return Mask.of(size, size, out);
  }
}
