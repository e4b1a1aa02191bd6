package io.vigil.detector.simplenet.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a unit test (surefire's default includes skip it): trains SimpleNet on
 * ../shared/datasets/magnetic_tile/train/good and prints the image AUROC on its test split after
 * every epoch, the learning curve the default number of epochs was chosen from. Run with
 * {@code ./mvnw -B -o verify -pl bundles/io.vigil.detector.simplenet -am
 * -Dtest=MagneticTileCurveBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.epochs=4
 * -Dbench.set='batch.size=2'} and read the lines starting with BENCH.
 */
class MagneticTileCurveBenchmark {
  @Test
  void learningCurve() throws Exception {
    Path root = Path.of(System.getProperty("vigil.shared"), "datasets/magnetic_tile");
    List<Image> train = new ArrayList<>();
    try (var files = Files.list(root.resolve("train/good"))) {
      for (Path f : files.sorted().toList()) train.add(ImageFiles.read(f));
    }
    int epochs = Integer.getInteger("bench.epochs", 4);
    var engine = TestImages.engine();
    var mobileNet = TestImages.mobileNetV2(engine);
    var models = new SimpleNetModels(engine, () -> List.of(mobileNet));
    var overrides = new java.util.HashMap<String, Object>(Map.of("epochs", epochs));
    for (String kv : System.getProperty("bench.set", "").split(";")) {
      if (!kv.isBlank()) overrides.put(kv.split("=")[0], kv.split("=")[1]);
    }
    System.out.println("BENCH parameters " + overrides);
    var params = SimpleNetParameters.defaults().with(overrides);
    long t0 = System.nanoTime();
    long[] last = {System.nanoTime()};
    var trainer = new SimpleNetTrainer(engine.engine(), params, (TrainingProgress p) -> {
      if (p.step() == p.totalSteps() || p.step() % 20 == 0) {
        System.out.printf("BENCH %s %d/%d loss %.4f elapsed %ds%n", p.phase(), p.step(), p.totalSteps(), p.loss(), p.elapsed().toSeconds());
      }
    });
    List<Image> testImages = new ArrayList<>();
    List<Boolean> testLabels = new ArrayList<>();
    try (var dirs = Files.list(root.resolve("test"))) {
      for (Path d : dirs.sorted().toList()) {
        try (var files = Files.list(d)) {
          for (Path f : files.sorted().toList()) {
            testImages.add(ImageFiles.read(f));
            testLabels.add(!d.getFileName().toString().equals("good"));
          }
        }
      }
    }
    trainer.afterEachEpoch((network, epoch) -> {
      long e0 = System.nanoTime();
      try (var m = engine.engine().newBaseManager()) {
        var inference = new SimpleNetInference(mobileNet.load(null), params, m);
        inference.setScorer(network.fold(m));
        List<float[]> scored = new ArrayList<>();
        for (int i = 0; i < testImages.size(); i += 8) {
          var maps = inference.anomalyMaps(testImages.subList(i, Math.min(testImages.size(), i + 8)));
          for (int k = 0; k < maps.size(); k++) scored.add(new float[] {maps.get(k).max(), testLabels.get(i + k) ? 1 : 0});
        }
        System.out.printf("BENCH curve epoch %d image AUROC %.4f (eval %.0f s)%n", epoch, auroc(scored), (System.nanoTime() - e0) / 1e9);
      } catch (Exception e) {
        throw new RuntimeException(e);
      }
    });
    Path dir = Files.createTempDirectory("curve").resolve("model");
    try (var detector = trainer.train(TestImages.source("train", train), models.backbone("mobilenet_v2", null), engine.newManager(), dir, "curve")) {
      System.out.printf("BENCH training %.1f s%n", (System.nanoTime() - t0) / 1e9);
      List<double[]> scored = new ArrayList<>(); // score, label
      long pos = 0, neg = 0; List<float[]> pix = new ArrayList<>();
      long ti = System.nanoTime(); int n = 0;
      try (var dirs = Files.list(root.resolve("test"))) {
        for (Path d : dirs.sorted().toList()) {
          boolean bad = !d.getFileName().toString().equals("good");
          try (var files = Files.list(d)) {
            List<Path> fs = files.sorted().toList();
            for (int i = 0; i < fs.size(); i += 8) {
              List<Path> chunk = fs.subList(i, Math.min(fs.size(), i + 8));
              List<Image> imgs = new ArrayList<>();
              for (Path f : chunk) imgs.add(ImageFiles.read(f));
              List<Detection> ds = detector.detect(imgs);
              n += imgs.size();
              for (int k = 0; k < chunk.size(); k++) {
                scored.add(new double[] {ds.get(k).rawScore(), bad ? 1 : 0});
                var map = ds.get(k).map();
                boolean[] mask = null;
                if (bad) {
                  String name = chunk.get(k).getFileName().toString().replaceAll("\\.[a-z]+$", "") + "_mask.png";
                  var m = ImageFiles.readMask(root.resolve("ground_truth").resolve(d.getFileName()).resolve(name));
                  mask = new boolean[m.width() * m.height()];
                  for (int q = 0; q < mask.length; q++) mask[q] = m.isDefect(q);
                }
                float[] v = map.values();
                for (int q = 0; q < v.length; q += 7) pix.add(new float[] {v[q], mask != null && mask[q] ? 1 : 0});
              }
            }
          }
        }
      }
      System.out.printf("BENCH inference %d images %.1f img/s%n", n, n / ((System.nanoTime() - ti) / 1e9));
      System.out.printf("BENCH image AUROC %.4f%n", auroc(scored.stream().map(a -> new float[] {(float) a[0], (float) a[1]}).toList()));
      System.out.printf("BENCH pixel AUROC (every 7th pixel) %.4f%n", auroc(pix));
    }
  }

  static double auroc(List<float[]> items) {
    List<float[]> s = new ArrayList<>(items);
    s.sort((a, b) -> Float.compare(a[0], b[0]));
    double rankSum = 0; long pos = 0, neg = 0;
    int i = 0;
    while (i < s.size()) {
      int j = i;
      while (j < s.size() && s.get(j)[0] == s.get(i)[0]) j++;
      double rank = (i + 1 + j) / 2.0;
      for (int k = i; k < j; k++) if (s.get(k)[1] > 0) { rankSum += rank; pos++; } else neg++;
      i = j;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }
}
