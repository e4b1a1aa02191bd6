package io.vigil.detector.patchcore.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Image;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.detector.common.calibration.HeldOutSplit;
import io.vigil.detector.common.validation.DefectKind;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.common.validation.ValidationSet;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A benchmark, not a unit test (surefire's default includes skip it): the validation split the
 * defaults are chosen on, with no test label: magnetic_tile's held-out good training images
 * (the same 10% the fit holds out for calibration) plus a defective copy of each with a synthetic
 * defect and its mask (the shared {@link ValidationSet}, at the model's input size, with every kind
 * of defect: the large faint shades too). For each tap set (features extracted once) and bank setting it fits the
 * bank on the other 90% and prints image AUROC and pixel AUROC for the
 * patch-max, re-weighted and map-max image scores, with the fit's times. Run with
 * {@code ./mvnw -B -o verify -pl bundles/io.vigil.detector.patchcore -am -Dtest=PatchCoreValidationBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false -Dbench.taps='block_5_output,block_12_output;block_6_expand,block_13_expand'
 * -Dbench.settings='candidate.patches=100000;coreset.size=5000'} (settings separated by ';', each a
 * comma-separated list of name=value; {@code -Dbench.variants='image.score=patch-max'} scores one
 * variant only) and read the lines starting with BENCH.
 */
class PatchCoreValidationBenchmark {
  @Test
  void validation() throws Exception {
    Path root = DetectorTestSupport.shared().resolve("datasets/magnetic_tile");
    List<Image> train = new ArrayList<>();
    try (var files = Files.list(root.resolve("train/good"))) {
      for (Path f : files.sorted().toList()) {
        train.add(ImageFiles.read(f));
      }
    }
    PatchCoreParameters defaults = PatchCoreParameters.defaults();
    HeldOutSplit<Image> split = HeldOutSplit.of(train, defaults.calibrationShare(), new Random(defaults.seed()));
    // -Dbench.defects=0,7,11 draws a set of synthetic defects per seed (same good images); each
    // variant is scored on every set, and the mean criterion says how far a choice holds beyond one draw.
    // All kinds, the large faint shades included (-Dbench.kinds=clear: the training loops' four).
    List<DefectKind> kinds =
        "clear".equals(System.getProperty("bench.kinds")) ? ValidationSet.CLEAR_KINDS : ValidationSet.ALL_KINDS;
    List<ValidationSet> sets = new ArrayList<>();
    for (String seed : System.getProperty("bench.defects", Long.toString(defaults.seed())).split(",")) {
      sets.add(ValidationSet.of(split.heldOut(), defaults.inputSize(), kinds, new Random(Long.parseLong(seed.trim()))));
    }
    int good = sets.get(0).good().size();
    System.out.printf(Locale.ROOT, "BENCH validation: %d good + %d synthetic defects, %d draw(s) (%s); fit on %d images%n",
        good, sets.get(0).defective().size(), sets.size(), System.getProperty("bench.defects", "" + defaults.seed()),
        split.training().size());
    DeepLearningEngine engine = DetectorTestSupport.engine();
    BackboneFactory mobileNet = DetectorTestSupport.mobileNetV2(engine);
    for (String taps : System.getProperty("bench.taps", String.join(",", defaults.taps())).split(";")) {
      try (NDManager manager = engine.newManager()) {
        Map<String, Object> tapSettings = new HashMap<>(Map.of("taps", taps));
        PatchCoreParameters tapParameters = defaults.with(tapSettings);
        PatchCoreTrainer extractor = new PatchCoreTrainer(tapParameters, TrainingMonitor.NONE);
        long t0 = System.nanoTime();
        NDArray patches = extractor.extract(new PatchCoreFeatures(mobileNet.load(null), tapParameters), split.training(), manager);
        System.out.printf(Locale.ROOT, "BENCH taps %s: %s patch features in %.1f s%n", taps, patches.getShape(),
            (System.nanoTime() - t0) / 1e9);
        for (String setting : System.getProperty("bench.settings", "").split(";")) {
          Map<String, Object> settings = new HashMap<>(tapSettings);
          for (String kv : setting.split(",")) {
            if (!kv.isBlank()) {
              settings.put(kv.split("=")[0].trim(), kv.split("=")[1].trim());
            }
          }
          PatchCoreParameters p = defaults.with(settings);
          PatchCoreTrainer trainer = new PatchCoreTrainer(p, TrainingMonitor.NONE);
          PatchCoreTrainer.Fit fit = trainer.bank(patches, (int) (patches.getShape().get(0) / split.training().size()), manager,
              new Random(p.seed()));
          String label = taps + " | " + setting;
          System.out.printf(Locale.ROOT, "BENCH %s: bank %d x %d from %d candidates, coreset %.1f s%s%n", label,
              fit.bank().size(), fit.bank().dimension(), fit.candidates(), fit.coresetSeconds(),
              fit.projection() == null ? ""
                  : String.format(Locale.ROOT, ", search projection keeps %.4f of the variance",
                      fit.projection().keptVariance()));
          for (String variant : System.getProperty("bench.variants",
              "image.score=patch-max;reweighting=true;image.score=map-max").split(";")) {
            Map<String, Object> scoring = new HashMap<>(settings);
            scoring.put(variant.split("=")[0], variant.split("=")[1]);
            PatchCoreParameters v = defaults.with(scoring);
            // Not closed: it would close the shared bank; the manager below frees everything.
            PatchCoreInference inference =
                new PatchCoreInference(new PatchCoreFeatures(mobileNet.load(null), v), v, fit.bank(), fit.projection(),
                    manager.newSubManager());
            double criterion = 0;
            for (ValidationSet set : sets) {
              long s0 = System.nanoTime();
              List<PatchCoreInference.Scored> scored = inference.score(set.images());
              double seconds = (System.nanoTime() - s0) / 1e9;
              double[] scores = new double[scored.size()];
              boolean[] labels = new boolean[scored.size()];
              List<AnomalyMap> maps = new ArrayList<>();
              for (int i = 0; i < scored.size(); i++) {
                scores[i] = scored.get(i).score();
                labels[i] = i >= good;
                maps.add(scored.get(i).map());
              }
              double imageAuroc = ValidationMetrics.auroc(scores, labels);
              double pixelAuroc =
                  ValidationMetrics.of(maps.subList(0, good), maps.subList(good, maps.size()), set.masks()).pixelAuroc();
              criterion += (imageAuroc + pixelAuroc) / 2 / sets.size();
              System.out.printf(Locale.ROOT,
                  "BENCH %s | %s: validation image AUROC %.4f pixel AUROC %.4f (%.1f images/s)%n", label, variant,
                  imageAuroc, pixelAuroc, scored.size() / seconds);
            }
            if (sets.size() > 1) {
              System.out.printf(Locale.ROOT, "BENCH %s | %s: mean of the two AUROCs over %d draws %.4f%n", label,
                  variant, sets.size(), criterion);
            }
          }
          fit.bank().close();
        }
      }
    }
  }
}
