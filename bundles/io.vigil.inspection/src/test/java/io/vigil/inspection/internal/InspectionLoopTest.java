package io.vigil.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.StationStatus.State;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InspectionLoopTest {
  /** Bounds how long a failing test waits; generous, since CI machines may be loaded. */
  private static final long WAIT_SECONDS = 120;
  private final List<InspectionResult> results = new CopyOnWriteArrayList<>();
  private final List<Double> thresholds = new CopyOnWriteArrayList<>();
  private final InspectionLoop loop = new InspectionLoop(result -> {
    thresholds.add(result.threshold());
    results.add(result);
  }, new InspectionLoop.Settings(Duration.ofMillis(20), false));

  @AfterEach
  void stop() throws InterruptedException {
    loop.stop();
  }

  @Test
  void everyFrameIsScoredOnceAcrossDetectorSwaps() throws Exception {
    // The source hands out frames only as the test releases them, so each swap lands at a known frame.
    ListSource source = new ListSource("line", 200, Set.of(), new Semaphore(0));
    loop.setSource(source);
    Detector a = new ConstantDetector("a", 1f);
    Detector b = new ConstantDetector("b", 2f);
    loop.setDetector(a);
    loop.start("test-inspection");

    source.gate().release(40);
    awaitResults(40);
    loop.setDetector(b);
    source.gate().release(60);
    awaitResults(100);
    loop.clearDetector(b);
    loop.setDetector(a);
    source.gate().release(100);
    awaitResults(200);

    List<String> ids = results.stream().map(InspectionResult::frameId).toList();
    assertEquals(200, ids.size());
    assertEquals(200, Set.copyOf(ids).size(), "a frame was scored twice");
    for (int i = 0; i < 200; i++) {
      assertEquals("frame-" + i, ids.get(i), "frames out of order or lost");
      assertEquals(i + 1, results.get(i).sequence());
    }
    List<String> detectorRuns = new ArrayList<>();
    for (InspectionResult result : results) {
      if (detectorRuns.isEmpty() || !detectorRuns.get(detectorRuns.size() - 1).equals(result.detectorName())) {
        detectorRuns.add(result.detectorName());
      }
    }
    assertEquals(List.of("a", "b", "a"), detectorRuns);
  }

  @Test
  void aFrameWaitsForADetectorInsteadOfBeingDropped() throws Exception {
    loop.setSource(new ListSource("line", 3, Set.of()));
    loop.start("test-inspection");
    awaitState(State.WAITING_FOR_DETECTOR);
    assertTrue(results.isEmpty());
    loop.setDetector(new ConstantDetector("late", 0.5f));
    awaitResults(3);
    assertEquals(List.of("frame-0", "frame-1", "frame-2"), results.stream().map(InspectionResult::frameId).toList());
    awaitState(State.FINISHED);
  }

  @Test
  void aNewDetectorScoresBlankFramesAtEveryBatchSizeBeforeItGetsFrames() throws Exception {
    List<String> calls = new CopyOnWriteArrayList<>();
    class Recording extends ConstantDetector {
      Recording(String name) {
        super(name, 1f);
      }

      @Override
      public List<Detection> detect(List<Image> images) throws DetectionException {
        calls.add(name() + " batch " + images.size());
        return super.detect(images);
      }

      @Override
      public Detection detect(Image image) throws DetectionException {
        calls.add(name() + (image.width() == 1 ? " frame " + image.sample(0, 0, 0) : " blank " + image.width()));
        return super.detect(image);
      }
    }
    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), false, Double.NaN, "", 3, true));
    loop.setSource(new ListSource("line", 2, Set.of()));
    loop.start("test-inspection");
    awaitState(State.WAITING_FOR_DETECTOR);
    loop.setDetector(new Recording("first"));
    awaitResults(2);
    // Blank frames of 320 x 240 (no frame seen yet; a size that needs resizing) at batch sizes 1, 2
    // and 3, then the frames.
    assertEquals(List.of("first blank 320", "first batch 2", "first blank 320", "first blank 320",
        "first batch 3", "first blank 320", "first blank 320", "first blank 320"), calls.subList(0, 8));
    assertEquals(List.of("first frame 0", "first frame 1"),
        calls.subList(8, calls.size()).stream().filter(c -> !c.contains("batch")).toList());

    // A swap warms the next detector up on the size of the frames seen, before it takes over.
    calls.clear();
    loop.setDetector(new Recording("second"));
    assertEquals(List.of("second frame 128", "second batch 2", "second frame 128", "second frame 128",
        "second batch 3", "second frame 128", "second frame 128", "second frame 128"), calls);
    // Warmed for these settings already: the same settings again do not score anything.
    calls.clear();
    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), false, Double.NaN, "", 3, true));
    assertEquals(List.of(), calls);
  }

  @Test
  void anUnreadableItemBecomesAnErrorResultAndTheStreamGoesOn() throws Exception {
    loop.setSource(new ListSource("folder", 4, Set.of(1)));
    loop.setDetector(new ConstantDetector("d", 0f));
    loop.start("test-inspection");
    awaitResults(4);
    assertEquals("frame-1.png", results.get(1).frameId());
    assertTrue(results.get(1).isError());
    assertTrue(results.get(1).error().contains("corrupt"), results.get(1).error());
    assertNull(results.get(1).frame());
    assertEquals("frame-3", results.get(3).frameId());
    assertEquals(1, loop.status().errors());
  }

  @Test
  void aDetectorThatDiesDuringASwapLeavesTheFrameToItsReplacement() throws Exception {
    CountDownLatch scoring = new CountDownLatch(1);
    CountDownLatch swapped = new CountDownLatch(1);
    Detector dying = new ConstantDetector("dying", 1f) {
      @Override
      public Detection detect(Image image) throws DetectionException {
        scoring.countDown();
        try {
          swapped.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        throw new DetectionException("model closed");
      }
    };
    loop.setSource(new ListSource("line", 1, Set.of()));
    loop.setDetector(dying);
    loop.start("test-inspection");
    assertTrue(scoring.await(WAIT_SECONDS, TimeUnit.SECONDS));
    loop.setDetector(new ConstantDetector("replacement", 1f));
    swapped.countDown();
    awaitResults(1);
    assertEquals("replacement", results.get(0).detectorName());
    assertEquals(1, results.size());
  }

  @Test
  void aFailingDetectorThatIsStillBoundGivesAnErrorResult() throws Exception {
    loop.setSource(new ListSource("line", 1, Set.of()));
    loop.setDetector(new ConstantDetector("broken", 1f) {
      @Override
      public Detection detect(Image image) throws DetectionException {
        throw new DetectionException("engine failure");
      }
    });
    loop.start("test-inspection");
    awaitResults(1);
    assertEquals("engine failure", results.get(0).error());
    assertEquals("broken", results.get(0).detectorName());
  }

  @Test
  void aPausedStationReadsNoFrameUntilResumedAndLosesNone() throws Exception {
    ListSource source = new ListSource("line", 30, Set.of(), new Semaphore(0));
    loop.setSource(source);
    loop.setDetector(new ConstantDetector("d", 0f));
    loop.start("test-inspection");
    source.gate().release(10);
    awaitResults(10);

    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), false, Double.NaN, "", 4, false, true));
    awaitState(State.PAUSED);
    source.gate().release(20);
    // While paused the frames stay with the source: none is taken however long we look.
    int before = results.size();
    await(() -> source.gate().availablePermits() == 20, "the permits to stay untaken");
    assertEquals(10, before);
    assertEquals(State.PAUSED, loop.status().state());

    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), false));
    awaitResults(30);
    List<String> ids = results.stream().map(InspectionResult::frameId).toList();
    for (int i = 0; i < 30; i++) {
      assertEquals("frame-" + i, ids.get(i), "frames out of order or lost");
    }
  }

  @Test
  void aFiniteSourceRepeatsWhenConfigured() throws Exception {
    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), true));
    loop.setSource(new ListSource("demo", 2, Set.of()));
    loop.setDetector(new ConstantDetector("d", 0f));
    loop.start("test-inspection");
    awaitResults(5);
    assertEquals(List.of("frame-0", "frame-1", "frame-0", "frame-1", "frame-0"),
        List.copyOf(results).subList(0, 5).stream().map(InspectionResult::frameId).toList());
  }

  @Test
  void aThresholdOverrideDecidesForItsDetectorOnly() throws Exception {
    // ConstantDetector "d" scores 1.5 against a calibrated threshold of 1: NOK.
    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), false, 2.0, "d", 4));
    loop.setSource(new ListSource("line", 2, Set.of()));
    loop.setDetector(new ConstantDetector("d", 1.5f));
    loop.start("test-inspection");
    awaitResults(2);
    assertEquals(Decision.OK, results.get(0).detection().decision(), "2.0 overrides the calibrated 1.0");
    assertEquals(1.5, results.get(0).detection().rawScore(), 1e-9);
    assertEquals(2.0, thresholds.get(0), 1e-9);

    // The override was chosen for "d": another detector decides at its own threshold.
    loop.setDetector(new ConstantDetector("e", 1.5f));
    loop.setSource(new ListSource("line-2", 1, Set.of()));
    awaitResults(3);
    assertEquals("e", results.get(2).detectorName());
    assertEquals(Decision.NOK, results.get(2).detection().decision());
    assertEquals(1.0, thresholds.get(2), 1e-9);
  }

  @Test
  void framesThatQueueUpAreScoredInBatchesInFrameOrder() throws Exception {
    // The first frame's scoring is held until the other 11 are queued: they then go in batches of at most 4.
    CountDownLatch firstScoring = new CountDownLatch(1);
    CountDownLatch restQueued = new CountDownLatch(1);
    List<Integer> batchSizes = new CopyOnWriteArrayList<>();
    Detector batching = new ConstantDetector("batching", 1f) {
      @Override
      public List<Detection> detect(List<Image> images) throws DetectionException {
        batchSizes.add(images.size());
        return super.detect(images);
      }

      @Override
      public Detection detect(Image image) throws DetectionException {
        if (image.sample(0, 0, 0) == 0) {
          batchSizes.add(1);
          firstScoring.countDown();
          try {
            restQueued.await(WAIT_SECONDS, TimeUnit.SECONDS);
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        return super.detect(image);
      }
    };
    ListSource source = new ListSource("line", 12, Set.of(), new Semaphore(0));
    loop.setSource(source);
    loop.setDetector(batching);
    loop.start("test-inspection");
    source.gate().release(1);
    assertTrue(firstScoring.await(WAIT_SECONDS, TimeUnit.SECONDS));
    source.gate().release(11);
    await(() -> loop.queued() == 11, "11 frames queued, have " + loop.queued());
    restQueued.countDown();
    awaitResults(12);

    for (int i = 0; i < 12; i++) {
      assertEquals("frame-" + i, results.get(i).frameId(), "frames out of order or lost");
      assertEquals(i + 1, results.get(i).sequence());
    }
    assertEquals(12, batchSizes.stream().mapToInt(Integer::intValue).sum(), "batches " + batchSizes);
    assertEquals(List.of(1, 4, 4, 3), batchSizes, "the queued frames in batches of at most 4");
  }

  @Test
  void aFrameThatFailsInABatchCostsOnlyItsOwnResult() throws Exception {
    Detector picky = new ConstantDetector("picky", 1f) {
      @Override
      public Detection detect(Image image) throws DetectionException {
        if (image.sample(0, 0, 0) == 5) {
          throw new DetectionException("frame 5 is unreadable for this model");
        }
        return super.detect(image);
      }
    };
    loop.setSettings(new InspectionLoop.Settings(Duration.ofMillis(20), false, Double.NaN, "", 8));
    ListSource source = new ListSource("line", 10, Set.of(3), new Semaphore(0));
    loop.setSource(source);
    loop.setDetector(picky);
    source.gate().release(10); // all ten are there before the loop starts: the first batch takes 8
    loop.start("test-inspection");
    awaitResults(10);
    for (int i = 0; i < 10; i++) {
      assertEquals(i == 3 ? "frame-3.png" : "frame-" + i, results.get(i).frameId(), "frames out of order or lost");
      assertEquals(i == 3 || i == 5, results.get(i).isError(), results.get(i).frameId());
    }
    assertTrue(results.get(5).error().contains("unreadable for this model"), results.get(5).error());
    assertEquals(2, loop.status().errors());
  }

  /** A detector that never returns on frame-2 until the test lets it, deaf to interrupts (a native call, say). */
  private static final class HangingDetector extends ConstantDetector {
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);
    private final int hangAt;

    HangingDetector(String name, int hangAt) {
      super(name, 0f);
      this.hangAt = hangAt;
    }

    @Override
    public Detection detect(Image image) throws DetectionException {
      if ((image.sample(0, 0, 0) & 0xff) == hangAt) {
        entered.countDown();
        while (release.getCount() > 0) {
          try {
            release.await();
          } catch (InterruptedException e) {
            // Deaf to it, like a call stuck in native code.
          }
        }
      }
      return super.detect(image);
    }
  }

  private static long detectThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("vigil-inspection-detect")).count();
  }

  @Test
  void aHungDetectorTimesOutItsFrameBecomesAnErrorAndTheLoopGoesOnWithoutAThreadPerFrame() throws Exception {
    // The timeout is far above what scoring a 1x1 frame takes; nothing below measures time.
    loop.setScoringTimeout(Duration.ofSeconds(2));
    ListSource source = new ListSource("line", 12, Set.of(), new Semaphore(0));
    HangingDetector hanging = new HangingDetector("hanging", 2);
    loop.setSource(source);
    loop.setDetector(hanging);
    loop.start("test-inspection");
    source.gate().release(2); // alone, so that frame-2 is not in their batch
    awaitResults(2);
    source.gate().release(1);
    awaitResults(3);
    assertTrue(results.get(2).error().contains("did not return from frame-2 within 2000 ms (scoring.timeout.ms)"),
        results.get(2).error());
    assertEquals(1, loop.abandonedDetectorCalls());

    // Still stuck: the next frames fail at once, and no further thread is started for them.
    source.gate().release(4);
    awaitResults(7);
    for (int i = 3; i < 7; i++) {
      assertTrue(results.get(i).error().contains("has not returned from frame-2"), results.get(i).error());
    }
    assertTrue(detectThreads() <= 2, "threads in detector calls: " + detectThreads());

    // Once the hung call returns, the detector scores again.
    hanging.release.countDown();
    await(() -> loop.abandonedDetectorCalls() == 0, "the abandoned call returns");
    source.gate().release(5);
    awaitResults(12);
    for (int i = 0; i < 12; i++) {
      assertEquals("frame-" + i, results.get(i).frameId(), "order");
      assertEquals(i >= 2 && i < 7, results.get(i).isError(), results.get(i).frameId());
    }
    assertEquals(5, loop.status().errors());
  }

  @Test
  void aDetectorReplacedWhileHungLeavesItsFrameToTheReplacement() throws Exception {
    loop.setScoringTimeout(Duration.ofSeconds(2));
    HangingDetector hanging = new HangingDetector("hanging", 0);
    loop.setSource(new ListSource("line", 2, Set.of()));
    loop.setDetector(hanging);
    loop.start("test-inspection");
    assertTrue(hanging.entered.await(WAIT_SECONDS, TimeUnit.SECONDS));
    loop.setDetector(new ConstantDetector("replacement", 0f));
    awaitResults(2);
    assertEquals(List.of("replacement", "replacement"), results.stream().map(InspectionResult::detectorName).toList());
    assertEquals(0, loop.status().errors());
    hanging.release.countDown();
  }

  @Test
  void aLinkageErrorFromADetectorIsAnErrorResultNotTheEndOfTheLoop() throws Exception {
    // What a detector whose bundle was uninstalled can throw when it reaches for a class.
    loop.setSource(new ListSource("line", 3, Set.of()));
    loop.setDetector(new ConstantDetector("gone", 0f) {
      @Override
      public Detection detect(Image image) throws DetectionException {
        if (image.sample(0, 0, 0) == 1) {
          throw new NoClassDefFoundError("io/vigil/detector/gone/Network");
        }
        return super.detect(image);
      }
    });
    loop.start("test-inspection");
    awaitResults(3);
    assertTrue(results.get(1).error().contains("io/vigil/detector/gone/Network"), results.get(1).error());
    assertEquals("frame-2", results.get(2).frameId());
    assertTrue(!results.get(2).isError());
  }

  private void awaitResults(int count) throws InterruptedException {
    await(() -> results.size() >= count, "results: " + count + ", have " + results.size());
  }

  private void awaitState(State state) throws InterruptedException {
    await(() -> loop.status().state() == state, "state " + state);
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(2);
    }
  }

  /**
   * A finite source of {@code count} tiny frames; items in {@code corrupt} fail to read. With a
   * {@code gate}, each frame waits for a permit the test releases.
   */
  private record ListSource(String name, int count, Set<Integer> corrupt, Semaphore gate)
      implements ImageSource {
    ListSource(String name, int count, Set<Integer> corrupt) {
      this(name, count, corrupt, null);
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
        public Frame next(Duration timeout) throws FrameReadException, InterruptedException {
          if (next >= count || (gate != null && !gate.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS))) {
            return null;
          }
          int index = next++;
          if (corrupt.contains(index)) {
            throw new FrameReadException("frame-" + index + ".png", "corrupt image", null);
          }
          return new Frame("frame-" + index, Instant.now(), name, Image.of8Bit(1, 1, 1, new byte[] {(byte) index}));
        }

        @Override
        public boolean isExhausted() {
          return next >= count;
        }

        @Override
        public void close() {}
      };
    }
  }

  private static class ConstantDetector implements Detector {
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
      return Calibration.identity(1);
    }

    @Override
    public Detection detect(Image image) throws DetectionException {
      float[] values = new float[image.width() * image.height()];
      java.util.Arrays.fill(values, score);
      return calibration().detection(new AnomalyMap(image.width(), image.height(), values), score);
    }
  }
}
