package io.vigil.itest.ui;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

/** Sources, detectors and a result collector for the UI tests. */
final class UiFixtures {
  static final int SIZE = 96;

  private UiFixtures() {}

  /**
   * A finite source of labelled grey frames with a soft texture; every third frame has a bright
   * square "defect" (with its mask), so heatmaps and decisions have something to show.
   */
  static final class PatternSource implements ImageSource {
    private final String name;
    private final int count;
    private final Duration interval;
    private final int tone;

    PatternSource(String name, int count, Duration interval, int tone) {
      this.name = name;
      this.count = count;
      this.interval = interval;
      this.tone = tone;
    }

    @Override
    public String name() {
      return name;
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
        public Frame next(Duration timeout) throws InterruptedException {
          if (next >= count) {
            return null;
          }
          Thread.sleep(interval.toMillis());
          return frame(next++);
        }

        @Override
        public boolean isExhausted() {
          return next >= count;
        }

        @Override
        public OptionalInt size() {
          return OptionalInt.of(count);
        }

        @Override
        public void close() {}
      };
    }

    Frame frame(int index) {
      byte[] pixels = new byte[SIZE * SIZE * 3];
      boolean[] defect = new boolean[SIZE * SIZE];
      boolean defective = index % 3 == 2;
      int spotX = 10 + (index * 17) % (SIZE - 30);
      int spotY = 10 + (index * 29) % (SIZE - 30);
      for (int y = 0; y < SIZE; y++) {
        for (int x = 0; x < SIZE; x++) {
          int value = tone + (int) (20 * Math.sin(x / 4.0) * Math.cos(y / 5.0));
          boolean inSpot = defective && x >= spotX && x < spotX + 12 && y >= spotY && y < spotY + 12;
          if (inSpot) {
            value = 250;
            defect[y * SIZE + x] = true;
          }
          int offset = (y * SIZE + x) * 3;
          pixels[offset] = (byte) value;
          pixels[offset + 1] = (byte) (value * 9 / 10);
          pixels[offset + 2] = (byte) (value * 8 / 10);
        }
      }
      Mask mask = Mask.of(SIZE, SIZE, defect);
      GroundTruth truth = defective ? GroundTruth.defect("spot", mask) : GroundTruth.good(mask);
      return new Frame(name + "/" + index, Instant.now(), name, Image.of8Bit(SIZE, SIZE, 3, pixels), truth, null);
    }
  }

  /** Scores each pixel by its brightness above the texture: bright spots are anomalies. */
  static final class SpotDetector implements Detector {
    private final String name;
    private final Calibration calibration;

    SpotDetector(String name, double threshold) {
      this.name = name;
      this.calibration = new Calibration(0.3, 0.1, threshold);
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String algorithm() {
      return "spot";
    }

    @Override
    public Calibration calibration() {
      return calibration;
    }

    @Override
    public Detection detect(Image image) {
      Image rgb = image.toRgb8();
      float[] values = new float[rgb.width() * rgb.height()];
      for (int i = 0; i < values.length; i++) {
        values[i] = (rgb.pixels8()[i * 3] & 0xFF) / 255f;
      }
      AnomalyMap map = new AnomalyMap(rgb.width(), rgb.height(), values);
      return calibration.detection(map, map.max());
    }
  }

  /** Gives every pixel the same score. */
  static final class ConstantDetector implements Detector {
    private final String name;
    private final float score;

    ConstantDetector(String name, float score) {
      this.name = name;
      this.score = score;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public String algorithm() {
      return "constant";
    }

    @Override
    public Calibration calibration() {
      return Calibration.identity(0.5);
    }

    @Override
    public Detection detect(Image image) {
      float[] values = new float[image.width() * image.height()];
      java.util.Arrays.fill(values, score);
      return calibration().detection(new AnomalyMap(image.width(), image.height(), values), score);
    }
  }

  /** Collects the results the station hands to sinks. */
  static final class Collector implements ResultSink {
    final List<InspectionResult> results = new CopyOnWriteArrayList<>();

    @Override
    public void accept(InspectionResult result) {
      results.add(result);
    }

    /** A consistent copy of the results so far: the station's thread keeps appending to {@link #results}. */
    List<InspectionResult> snapshot() {
      return List.copyOf(results);
    }

    /** A consistent copy of the results after the first {@code from}. */
    List<InspectionResult> since(int from) {
      List<InspectionResult> all = snapshot();
      return all.subList(Math.min(from, all.size()), all.size());
    }

    /** How many results after the first {@code from} came from this source and detector. */
    long count(int from, String source, String detector) {
      return since(from).stream()
          .filter(r -> source.equals(r.sourceName()) && detector.equals(r.detectorName()))
          .count();
    }

    InspectionResult last() {
      List<InspectionResult> all = snapshot();
      return all.isEmpty() ? null : all.get(all.size() - 1);
    }
  }
}
