package io.vigil.detector.efficientad.internal;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Detection;
import io.vigil.api.image.Image;
import io.vigil.detector.common.calibration.HeldOutSplit;
import io.vigil.detector.common.testing.DetectorTestSupport;
import io.vigil.detector.common.validation.DefectKind;
import io.vigil.detector.common.validation.SyntheticDefect;
import io.vigil.detector.common.validation.ValidationMetrics;
import io.vigil.detector.common.validation.ValidationSet;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A benchmark, not a unit test (surefire's default includes skip it): a saved EfficientAD model
 * trained on magnetic_tile, scored on its own validation split with every kind of defect (the
 * large faint shades too) over several draws, as it is and with map settings changed in a copy of
 * its {@code model.json} (the networks and map normalisation stay; no retraining). The held-out
 * images are the ones its training held out (same share and seed). Run with
 * {@code ./mvnw -B -o verify -pl bundles/io.vigil.detector.efficientad -am
 * -Dtest=EfficientAdValidationBenchmark -Dsurefire.failIfNoSpecifiedTests=false -Dbench.model=DIR
 * -Dbench.variants='smoothing.sigma=4;smoothing.sigma=16;map.parts=student-teacher'
 * -Dbench.defects=0,7,11,13,17} and read the lines starting with BENCH.
 */
class EfficientAdValidationBenchmark {
  @Test
  void validation(@TempDir Path temp) throws Exception {
    String modelProperty = System.getProperty("bench.model");
    if (modelProperty == null) {
      throw new IllegalStateException("-Dbench.model=DIR names the EfficientAD model (trained on magnetic_tile) to score");
    }
    Path model = Path.of(modelProperty);
    JsonObject document = JsonParser.parseString(Files.readString(model.resolve(EfficientAdMetadata.FILE))).getAsJsonObject();
    JsonObject parameters = document.getAsJsonObject("parameters");
    List<Image> heldOut = heldOutTiles(parameters.get("calibration.share").getAsDouble(),
        parameters.get("seed").getAsLong());
    int size = parameters.get("input.size").getAsInt();
    List<DefectKind> kinds =
        "clear".equals(System.getProperty("bench.kinds")) ? ValidationSet.CLEAR_KINDS : ValidationSet.ALL_KINDS;
    List<ValidationSet> sets = new ArrayList<>();
    for (String seed : System.getProperty("bench.defects", "0,7,11,13,17").split(",")) {
      sets.add(ValidationSet.of(heldOut, size, kinds, new Random(Long.parseLong(seed.trim()))));
    }
    System.out.printf(Locale.ROOT, "BENCH model %s: %d held-out good images, %d draw(s) of defects%n", model,
        heldOut.size(), sets.size());
    DeepLearningEngine engine = DetectorTestSupport.engine();
    EfficientAdModels models = new EfficientAdModels(engine, () -> List.of(DetectorTestSupport.mobileNetV2(engine)));
    int index = 0;
    for (String variant : System.getProperty("bench.variants", "smoothing.sigma=4").split(";")) {
      Path copy = temp.resolve("variant-" + index++);
      Files.createDirectories(copy);
      try (Stream<Path> files = Files.list(model)) {
        for (Path file : files.filter(Files::isRegularFile).toList()) {
          Files.copy(file, copy.resolve(file.getFileName()));
        }
      }
      JsonObject edited = document.deepCopy();
      for (String kv : variant.split(",")) {
        if (!kv.isBlank()) {
          String[] pair = kv.split("=", 2);
          String key = pair[0].trim();
          String value = pair[1].trim();
          if (parameters.get(key).getAsJsonPrimitive().isNumber()) {
            edited.getAsJsonObject("parameters").addProperty(key, Double.parseDouble(value));
          } else {
            edited.getAsJsonObject("parameters").addProperty(key, value);
          }
        }
      }
      Files.writeString(copy.resolve(EfficientAdMetadata.FILE), new GsonBuilder().setPrettyPrinting().create().toJson(edited));
      double criterion = 0;
      double imageMean = 0;
      double pixelMean = 0;
      try (EfficientAdDetector detector = models.load(copy, null, null)) {
        for (ValidationSet set : sets) {
          // EfficientAD's image score is its map's maximum, the score ValidationMetrics ranks.
          List<AnomalyMap> good = detector.detect(set.good()).stream().map(Detection::map).toList();
          List<AnomalyMap> defective = detector.detect(set.defective().stream().map(SyntheticDefect::image).toList())
              .stream().map(Detection::map).toList();
          ValidationMetrics metrics = ValidationMetrics.of(good, defective, set.masks());
          System.out.printf(Locale.ROOT, "BENCH %s: validation image AUROC %.4f pixel AUROC %.4f%n", variant,
              metrics.imageAuroc(), metrics.pixelAuroc());
          imageMean += metrics.imageAuroc() / sets.size();
          pixelMean += metrics.pixelAuroc() / sets.size();
          criterion += metrics.criterion() / sets.size();
        }
      }
      System.out.printf(Locale.ROOT, "BENCH %s: mean over %d draws: image AUROC %.4f pixel AUROC %.4f criterion %.4f%n",
          variant, sets.size(), imageMean, pixelMean, criterion);
    }
  }

  /**
   * The magnetic_tile good images that a training with this held-out share and seed held out: the
   * trainer's own split, over the same files in name order.
   */
  static List<Image> heldOutTiles(double share, long seed) throws IOException {
    List<Image> train = new ArrayList<>();
    try (var files = Files.list(DetectorTestSupport.shared().resolve("datasets/magnetic_tile/train/good"))) {
      for (Path f : files.sorted().toList()) {
        train.add(ImageFiles.read(f));
      }
    }
    return HeldOutSplit.of(train, share, new Random(seed)).heldOut();
  }
}
