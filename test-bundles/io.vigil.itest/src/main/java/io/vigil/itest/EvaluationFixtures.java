package io.vigil.itest;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;

/**
 * A tiny labelled data set in the MVTec AD layout, a data set format that reads it (the real one
 * is io.vigil.source.mvtec) and a detector whose anomaly map is the image's brightness, so every
 * metric of an evaluation can be worked out by hand.
 */
final class EvaluationFixtures {
  static final String MODEL_FILE = "fixture-model.properties";
  static final byte BACKGROUND = 40;

  private EvaluationFixtures() {}

  /** One test image: its size, its defect blob (value inside the mask) and a bright spot outside any mask. */
  record Sample(String defect, String name, int width, int height, int blobValue, int spotValue) {}

  /**
   * Scores are brightness / 255; the background is 40. Defects: crack/000 blob 200, crack/001
   * blob 100, hole/000 blob 255. Good: good/000 plain, good/001 with an unmasked spot of 120
   * (brighter than crack/001's blob: a false alarm that outranks a real defect).
   */
  static final List<Sample> SAMPLES = List.of(
      new Sample("good", "000", 24, 16, 0, 0),
      new Sample("good", "001", 20, 20, 0, 120),
      new Sample("crack", "000", 32, 12, 200, 0),
      new Sample("crack", "001", 18, 18, 100, 0),
      new Sample("hole", "000", 16, 24, 255, 0));

  /** Blob: a 4x3 rectangle at (2, 2) plus a pixel touching it at a corner (one 8-connected region of 13). */
  static boolean inBlob(int x, int y) {
    return (x >= 2 && x < 6 && y >= 2 && y < 5) || (x == 6 && y == 5);
  }

  static final int BLOB_PIXELS = 13;

  /** Spot: 2x2 at (10, 10). */
  static boolean inSpot(int x, int y) {
    return x >= 10 && x < 12 && y >= 10 && y < 12;
  }

  static final int SPOT_PIXELS = 4;

  /** Writes train/good, test/DEFECT/NAME.png and ground_truth/DEFECT/NAME_mask.png under {@code root}. */
  static void writeDataset(Path root) throws IOException {
    for (int i = 0; i < 2; i++) {
      writeGrey(root.resolve("train/good/00" + i + ".png"), 20, 20, (x, y) -> BACKGROUND);
    }
    for (Sample sample : SAMPLES) {
      writeGrey(root.resolve("test/" + sample.defect() + "/" + sample.name() + ".png"), sample.width(), sample.height(),
          (x, y) -> sample.blobValue() > 0 && inBlob(x, y) ? sample.blobValue()
              : sample.spotValue() > 0 && inSpot(x, y) ? sample.spotValue() : BACKGROUND);
      if (!sample.defect().equals("good")) {
        writeGrey(root.resolve("ground_truth/" + sample.defect() + "/" + sample.name() + "_mask.png"), sample.width(),
            sample.height(), (x, y) -> inBlob(x, y) ? 255 : 0);
      }
    }
  }

  interface Pixels {
    int value(int x, int y);
  }

  private static void writeGrey(Path file, int width, int height, Pixels pixels) throws IOException {
    byte[] samples = new byte[width * height];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        samples[y * width + x] = (byte) pixels.value(x, y);
      }
    }
    Files.createDirectories(file.getParent());
    ImageFiles.writePng(Image.of8Bit(width, height, 1, samples), file);
  }

  /** Reads the layout above: test/DEFECT/NAME.png with ground_truth/DEFECT/NAME_mask.png. */
  static final class MvtecLayoutFormat implements DatasetFormat {
    @Override
    public String name() {
      return "itest-mvtec";
    }

    @Override
    public boolean recognizes(Path root) {
      return Files.isDirectory(root.resolve("test")) && Files.isDirectory(root.resolve("train"));
    }

    @Override
    public List<String> splits(Path root) {
      return Stream.of("train", "test").filter(s -> Files.isDirectory(root.resolve(s))).toList();
    }

    @Override
    public ImageSource open(Path root, String split) throws IOException {
      List<Path> files = new ArrayList<>();
      try (Stream<Path> walk = Files.walk(root.resolve(split))) {
        walk.filter(p -> p.toString().endsWith(".png")).sorted().forEach(files::add);
      }
      return new ImageSource() {
        @Override
        public String name() {
          return "itest-" + split;
        }

        @Override
        public boolean isFinite() {
          return true;
        }

        @Override
        public FrameStream open() {
          return new FrameStream() {
            private int next;

            @Override
            public Frame next(Duration timeout) throws FrameReadException {
              if (next >= files.size()) {
                return null;
              }
              Path file = files.get(next++);
              String defect = file.getParent().getFileName().toString();
              String name = file.getFileName().toString().replace(".png", "");
              try {
                Image image = ImageFiles.read(file);
                Mask mask = defect.equals("good") ? Mask.empty(image.width(), image.height())
                    : ImageFiles.readMask(root.resolve("ground_truth/" + defect + "/" + name + "_mask.png"));
                GroundTruth truth = defect.equals("good") ? GroundTruth.good(mask) : GroundTruth.defect(defect, mask);
                return new Frame(root.relativize(file).toString(), Instant.now(), file.toString(), image, truth, Map.of());
              } catch (IOException e) {
                throw new FrameReadException(file.toString(), e.getMessage(), e);
              }
            }

            @Override
            public boolean isExhausted() {
              return next >= files.size();
            }

            @Override
            public OptionalInt size() {
              return OptionalInt.of(files.size());
            }

            @Override
            public void close() {}
          };
        }
      };
    }
  }

  /** Loads "models" that are a directory with {@value #MODEL_FILE}. */
  static final class BrightnessDetectorFactory implements DetectorFactory {
    @Override
    public String algorithm() {
      return "brightness";
    }

    @Override
    public Detector train(io.vigil.api.source.ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
        TrainingMonitor monitor) {
      throw new UnsupportedOperationException("the fixture is not trainable");
    }

    @Override
    public boolean recognizes(Path modelDirectory) {
      return Files.isRegularFile(modelDirectory.resolve(MODEL_FILE));
    }

    @Override
    public Detector load(Path modelDirectory) throws ModelException {
      if (!recognizes(modelDirectory)) {
        throw new ModelException("no " + MODEL_FILE + " in " + modelDirectory);
      }
      return new BrightnessDetector();
    }
  }

  /** Map = grey level / 255; image score = map maximum; threshold 0.5, normal level 0.1. */
  static final class BrightnessDetector implements Detector {
    static final Calibration CALIBRATION = new Calibration(0.1, 0.2, 0.5);

    @Override
    public String name() {
      return "brightness-fixture";
    }

    @Override
    public String algorithm() {
      return "brightness";
    }

    @Override
    public Calibration calibration() {
      return CALIBRATION;
    }

    @Override
    public Detection detect(Image image) {
      float[] map = new float[image.width() * image.height()];
      for (int i = 0; i < map.length; i++) {
        map[i] = image.sample(i % image.width(), i / image.width(), 0) / 255f;
      }
      AnomalyMap anomalyMap = new AnomalyMap(image.width(), image.height(), map);
      return CALIBRATION.detection(anomalyMap, anomalyMap.max());
    }
  }
}
