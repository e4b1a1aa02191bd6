package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.ConstantDetector;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Hot swaps under load: during a 30 frames/s stream, 500 detector swaps through Config Admin (the
 * station's detector filter moved between two detectors, as an operator picks a model) and 500
 * source swaps through the service registry (a replacement source registered with a higher
 * ranking, the old one unregistered, as when a camera bundle is replaced), one swap at a time with
 * at least one result between two swaps. Frames are numbered across sources by one shared clock:
 * every frame handed out must come back exactly once, in order, scored by the detector bound then.
 * The test waits for counts, never for time.
 */
class StationSwapStormTest {
  private static final int DETECTOR_SWAPS = 500;
  private static final int SOURCE_SWAPS = 500;
  private static final String FRAME_PREFIX = "storm-frame-";
  private static final String SOURCE_GROUP = "vigil.itest.storm";
  private static final Duration FRAME_INTERVAL = Duration.ofNanos(1_000_000_000L / 30);
  private static final Map<String, Float> SCORES = Map.of("storm-a", 0.25f, "storm-b", 0.75f);
  private static final String DEFAULT_DETECTOR_TARGET = "(" + Detector.NAME_PROPERTY + "=*)";
  private static final String DEFAULT_SOURCE_TARGET = "(" + ImageSource.NAME_PROPERTY + "=*)";

  private final BundleContext context = FrameworkUtil.getBundle(StationSwapStormTest.class).getBundleContext();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private ServiceRegistration<ImageSource> currentSource;

  /**
   * Config Admin delivers asynchronously: a configuration created before the previous test's
   * deletion has reached the station can be taken for a stale one and ignored, so the test starts
   * once the station is back on its default filters.
   */
  @BeforeEach
  void awaitStationOnDefaults() throws InterruptedException {
    awaitStationProperty(Station.DETECTOR_TARGET, DEFAULT_DETECTOR_TARGET);
    awaitStationProperty(Station.SOURCE_TARGET, DEFAULT_SOURCE_TARGET);
  }

  @AfterEach
  void cleanUp() throws Exception {
    if (currentSource != null) {
      currentSource.unregister();
    }
    registrations.forEach(ServiceRegistration::unregister);
    configurationAdmin().getConfiguration(Station.PID, "?").delete();
    awaitStationOnDefaults();
  }

  @Test
  void fiveHundredDetectorAndFiveHundredSourceSwapsAtThirtyFramesPerSecondLoseReorderAndRepeatNothing()
      throws Exception {
    Ledger ledger = new Ledger();
    registrations.add(context.registerService(ResultSink.class, ledger,
        new Hashtable<>(Map.of(ResultSink.NAME_PROPERTY, "storm-ledger"))));
    for (Map.Entry<String, Float> detector : SCORES.entrySet()) {
      registrations.add(context.registerService(Detector.class, new ConstantDetector(detector.getKey(), detector.getValue()),
          new Hashtable<>(Map.of(Detector.NAME_PROPERTY, detector.getKey()))));
    }
    Station station = context.getService(context.getServiceReference(Station.class));
    Configuration configuration = configurationAdmin().getConfiguration(Station.PID, "?");
    Hashtable<String, Object> settings = new Hashtable<>(Map.of(
        Station.SOURCE_TARGET, "(" + SOURCE_GROUP + "=true)",
        Station.DETECTOR_TARGET, "(" + Detector.NAME_PROPERTY + "=storm-a)"));
    configuration.update(settings);
    awaitStationProperty(Station.DETECTOR_TARGET, "(" + Detector.NAME_PROPERTY + "=storm-a)");

    FrameClock clock = new FrameClock(FRAME_INTERVAL);
    int generation = 0;
    currentSource = registerSource(clock, generation);
    String detector = "storm-a";
    int detectorSwaps = 0;
    int sourceSwaps = 0;
    long resultsAtLastSwap = 0;
    while (detectorSwaps < DETECTOR_SWAPS || sourceSwaps < SOURCE_SWAPS) {
      long after = resultsAtLastSwap;
      await(() -> ledger.results() > after, () -> "a result after swap " + (ledger.results()));
      boolean swapDetector = detectorSwaps <= sourceSwaps && detectorSwaps < DETECTOR_SWAPS
          || sourceSwaps >= SOURCE_SWAPS;
      if (swapDetector) {
        detector = detector.equals("storm-a") ? "storm-b" : "storm-a";
        settings.put(Station.DETECTOR_TARGET, "(" + Detector.NAME_PROPERTY + "=" + detector + ")");
        configuration.update(settings);
        String expected = detector;
        await(() -> expected.equals(station.status().detectorName()), () -> "station on detector " + expected);
        detectorSwaps++;
      } else {
        ServiceRegistration<ImageSource> old = currentSource;
        currentSource = registerSource(clock, ++generation);
        String expected = "storm-source-" + generation;
        await(() -> expected.equals(station.status().sourceName()), () -> "station on source " + expected);
        old.unregister();
        sourceSwaps++;
      }
      resultsAtLastSwap = ledger.results();
    }
    // The stream stops: every frame handed out is scored, then the counts are final.
    long stopAt = ledger.results() + 30;
    await(() -> ledger.results() >= stopAt, () -> "30 more results");
    currentSource.unregister();
    currentSource = null;
    await(() -> station.status().state() == StationStatus.State.WAITING_FOR_SOURCE
        && ledger.results() >= clock.handedOut(), () -> "all " + clock.handedOut() + " frames scored, have "
        + ledger.results() + ", station " + station.status().state());

    long handedOut = clock.handedOut();
    ledger.assertEveryFrameOnceInOrder(handedOut);
    SinkStatus sink = station.sinks().stream().filter(s -> s.name().equals("storm-ledger")).findFirst().orElseThrow();
    assertEquals(0, sink.dropped() + sink.failed(), "results the station could not hand to the ledger: " + sink);
    assertEquals(DETECTOR_SWAPS, detectorSwaps);
    assertEquals(SOURCE_SWAPS, sourceSwaps);
    assertFalse(ledger.detectorRuns() < 2, "both detectors scored");
    System.out.println("StationSwapStormTest: " + handedOut + " frames at 30 frames/s, " + detectorSwaps
        + " detector swaps (Config Admin), " + sourceSwaps + " source swaps (service registry); results by "
        + ledger.detectorRuns() + " detector runs and " + ledger.sourceRuns() + " source runs");
  }

  private ServiceRegistration<ImageSource> registerSource(FrameClock clock, int generation) {
    return context.registerService(ImageSource.class, new ClockSource("storm-source-" + generation, clock),
        new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, "storm-source-" + generation, SOURCE_GROUP, "true",
            Constants.SERVICE_RANKING, generation)));
  }

  private void awaitStationProperty(String key, String value) throws InterruptedException {
    await(() -> {
      ServiceReference<Station> reference = context.getServiceReference(Station.class);
      return reference != null && value.equals(reference.getProperty(key));
    }, () -> "station " + key + " " + value);
  }

  private ConfigurationAdmin configurationAdmin() {
    return context.getService(context.getServiceReference(ConfigurationAdmin.class));
  }

  /**
   * A camera's clock shared by every source of the test: frame n is due at start + n x interval
   * and numbered n whichever source hands it out, so frames run on across source swaps.
   */
  static final class FrameClock {
    private final Duration interval;
    private final AtomicLong next = new AtomicLong();
    private long start;

    FrameClock(Duration interval) {
      this.interval = interval;
    }

    long handedOut() {
      return next.get();
    }

    /** The next frame's number once it is due, or -1 when it is not due within {@code timeout}. */
    synchronized long awaitNext(Duration timeout) throws InterruptedException {
      if (start == 0) {
        start = System.nanoTime();
      }
      long wait = start + next.get() * interval.toNanos() - System.nanoTime();
      if (wait > timeout.toNanos()) {
        Thread.sleep(timeout.toMillis());
        return -1;
      }
      if (wait > 0) {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      }
      return next.getAndIncrement();
    }
  }

  /** A live source on the shared clock: 8x8 grey frames. */
  static final class ClockSource implements ImageSource {
    private final String name;
    private final FrameClock clock;

    ClockSource(String name, FrameClock clock) {
      this.name = name;
      this.clock = clock;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public boolean isFinite() {
      return false;
    }

    @Override
    public FrameStream open() {
      return new FrameStream() {
        @Override
        public Frame next(Duration timeout) throws InterruptedException {
          long number = clock.awaitNext(timeout);
          if (number < 0) {
            return null;
          }
          byte[] pixels = new byte[64];
          Arrays.fill(pixels, (byte) number);
          return new Frame(FRAME_PREFIX + number, Instant.now(), name, Image.of8Bit(8, 8, 1, pixels));
        }

        @Override
        public boolean isExhausted() {
          return false;
        }

        @Override
        public void close() {}
      };
    }
  }

  /** Frame numbers as results arrive (not the results: 1,000 frames' maps need not stay). */
  static final class Ledger implements ResultSink {
    private final List<Long> numbers = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();
    private String lastDetector;
    private String lastSource;
    private int detectorRuns;
    private int sourceRuns;

    @Override
    public synchronized void accept(InspectionResult result) {
      if (!result.frameId().startsWith(FRAME_PREFIX)) {
        return;
      }
      numbers.add(Long.parseLong(result.frameId().substring(FRAME_PREFIX.length())));
      if (result.isError()) {
        problems.add(result.frameId() + ": " + result.error());
      } else if (SCORES.get(result.detectorName()) != (float) result.detection().rawScore()) {
        problems.add(result.frameId() + " scored " + result.detection().rawScore() + " by " + result.detectorName());
      }
      if (!result.detectorName().equals(lastDetector)) {
        detectorRuns++;
        lastDetector = result.detectorName();
      }
      if (!result.sourceName().equals(lastSource)) {
        sourceRuns++;
        lastSource = result.sourceName();
      }
    }

    synchronized long results() {
      return numbers.size();
    }

    synchronized int detectorRuns() {
      return detectorRuns;
    }

    synchronized int sourceRuns() {
      return sourceRuns;
    }

    /** Frames 0 .. handedOut - 1, each exactly once, in order; counts of what went wrong otherwise. */
    synchronized void assertEveryFrameOnceInOrder(long handedOut) {
      java.util.BitSet seen = new java.util.BitSet();
      int duplicated = 0;
      int outOfOrder = 0;
      long highest = -1;
      for (long number : numbers) {
        if (seen.get((int) number)) {
          duplicated++;
          continue;
        }
        seen.set((int) number);
        if (number < highest) {
          outOfOrder++;
        }
        highest = Math.max(highest, number);
      }
      long lost = handedOut - seen.get(0, (int) handedOut).cardinality();
      assertEquals("lost 0, scored twice 0, out of order 0, errors or wrong detector 0",
          "lost " + lost + ", scored twice " + duplicated + ", out of order " + outOfOrder
              + ", errors or wrong detector " + problems.size(),
          "of " + handedOut + " frames handed out; first problems: "
              + problems.subList(0, Math.min(5, problems.size())));
      assertEquals(handedOut, numbers.size(), "one result per frame handed out");
    }
  }
}
