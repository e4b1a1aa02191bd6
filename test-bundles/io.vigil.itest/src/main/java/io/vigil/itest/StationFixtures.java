package io.vigil.itest;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Test sources, detectors and a result collector for the integration tests. */
final class StationFixtures {
  private StationFixtures() {}

  /**
   * A finite source of {@code count} small 8x8 frames named {@code name-i}; subclasses say when the
   * next frame may go.
   */
  abstract static class CountedSource implements ImageSource {
    private final String name;
    private final int count;

    CountedSource(String name, int count) {
      this.name = name;
      this.count = count;
    }

    /** Waits until frame {@code index} may go; false when it may not within {@code timeout}. */
    abstract boolean awaitTurn(int index, Duration timeout) throws InterruptedException;

    /** Frame {@code index}'s image: 8x8 grey of value index. */
    Image image(int index) {
      byte[] pixels = new byte[8 * 8];
      Arrays.fill(pixels, (byte) index);
      return Image.of8Bit(8, 8, 1, pixels);
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
          if (next >= count || !awaitTurn(next, timeout)) {
            return null;
          }
          Image image = image(next);
          return new Frame(name + "-" + next++, Instant.now(), name, image);
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
  }

  /** One frame every {@code interval}. */
  static final class PacedSource extends CountedSource {
    private final Duration interval;

    PacedSource(String name, int count, Duration interval) {
      super(name, count);
      this.interval = interval;
    }

    @Override
    boolean awaitTurn(int index, Duration timeout) throws InterruptedException {
      Thread.sleep(interval.toMillis());
      return true;
    }
  }

  /**
   * Hands out only as many frames as the test has released: a test decides what happens between
   * frames instead of racing a timer.
   */
  static final class GatedSource extends CountedSource {
    private final Semaphore released = new Semaphore(0);

    GatedSource(String name, int count) {
      super(name, count);
    }

    /** Lets {@code frames} more frames out. */
    void release(int frames) {
      released.release(frames);
    }

    @Override
    boolean awaitTurn(int index, Duration timeout) throws InterruptedException {
      return released.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** A detector that gives every pixel the same score. */
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
      Arrays.fill(values, score);
      return calibration().detection(new AnomalyMap(image.width(), image.height(), values), score);
    }
  }

  /** Collects every result the station hands to sinks, or those of one source. */
  static final class Collector implements ResultSink {
    final List<InspectionResult> results = new CopyOnWriteArrayList<>();
    private final String sourceName;

    Collector() {
      this(null);
    }

    /** Only results from {@code sourceName}: a frame of an earlier test may still be scored. */
    Collector(String sourceName) {
      this.sourceName = sourceName;
    }

    @Override
    public void accept(InspectionResult result) {
      if (sourceName == null || sourceName.equals(result.sourceName())) {
        results.add(result);
      }
    }

    /** A consistent copy: the station's thread keeps appending to {@link #results}. */
    List<InspectionResult> snapshot() {
      return List.copyOf(results);
    }

    List<String> frameIds() {
      return snapshot().stream().map(InspectionResult::frameId).toList();
    }

    /** The detectors in the order they took over, e.g. [a, b, a]. */
    List<String> detectorRuns() {
      List<String> runs = new ArrayList<>();
      for (InspectionResult result : snapshot()) {
        if (runs.isEmpty() || !runs.get(runs.size() - 1).equals(result.detectorName())) {
          runs.add(result.detectorName());
        }
      }
      return runs;
    }

    /** Exactly one result for each of {@code source}-0 .. {@code source}-(frames - 1), no more. */
    void assertEveryFrameExactlyOnce(String source, int frames) {
      List<String> ids = frameIds();
      java.util.Set<String> expected = new java.util.HashSet<>();
      for (int i = 0; i < frames; i++) {
        expected.add(source + "-" + i);
      }
      org.junit.jupiter.api.Assertions.assertEquals(frames, ids.size(), "one result per frame");
      org.junit.jupiter.api.Assertions.assertEquals(expected, new java.util.HashSet<>(ids), "every frame exactly once");
    }

    boolean anyFrom(String detector) {
      return results.stream().anyMatch(r -> detector.equals(r.detectorName()));
    }
  }

  static void await(BooleanSupplier condition, Supplier<String> what) throws InterruptedException {
    // Generous: it only bounds how long a failing test takes, and CI machines may be loaded.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what.get());
      }
      Thread.sleep(5);
    }
  }
}
