package io.vigil.soak.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.ImageSource;
import io.vigil.cli.ProgressBar;
import io.vigil.cli.SavedModels;
import io.vigil.djl.DeepLearningEngine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil soak}: the station at full speed for N frames through real models, with the
 * detector and the source swapped every few hundred frames the way an operator swaps them (the
 * station's configuration in Config Admin), while the process's memory, the engine's live arrays
 * and its threads are sampled to a CSV and a chart. Every frame the synthetic sources hand out is
 * numbered; the run fails when one came back twice, out of order, or not at all.
 */
@Component(property = Command.NAME_PROPERTY + "=soak")
public class SoakCommand implements Command {
  /** Service property telling the soak's detector instances apart (one model may be loaded twice). */
  static final String SLOT_PROPERTY = "vigil.soak.slot";
  private static final String LEDGER_NAME = "soak-ledger";
  private static final String[] SOURCE_NAMES = {"soak-a", "soak-b"};
  private static final String NO_SOURCE = "(" + ImageSource.NAME_PROPERTY + "=soak-none)";

  private final BundleContext context;
  private final Station station;
  private final ConfigurationAdmin configurationAdmin;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile DeepLearningEngine engine;

  @Activate
  public SoakCommand(BundleContext context, @Reference Station station,
      @Reference ConfigurationAdmin configurationAdmin) {
    this.context = context;
    this.station = station;
    this.configurationAdmin = configurationAdmin;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext console) {
    return new Soak(console);
  }

  @picocli.CommandLine.Command(name = "soak",
      description = {"Run the station at full speed through real models, swapping detector and source, and log memory.",
          "A synthetic source hands out numbered frames as fast as the station takes them; every "
              + "--swap-detector-every results the station's configuration moves it to the next detector (the models "
              + "given, each loaded once; one model is loaded twice), every --swap-source-every results to the other "
              + "source. Every --sample-every seconds a row goes to OUT/soak.csv: results, frames/s, heap after a "
              + "collection, heap committed, resident memory (VmRSS, once the collection's freed heap is back with "
              + "the OS), the engine's live arrays, threads, swaps, errors; at the end OUT/soak.svg and OUT/soak.png "
              + "chart them and a summary gives frames lost, duplicated and out of order, the memory slopes and "
              + "resident memory's range in each quarter of the run. Exit status 1 when any frame was lost, "
              + "duplicated, out of order or not delivered."})
  final class Soak implements Callable<Integer> {
    private final CommandContext console;

    @Option(names = "--model", paramLabel = "DIR", required = true,
        description = "a saved model; repeat for more (the swaps go round them)")
    List<Path> models;
    @Option(names = "--frames", paramLabel = "N", defaultValue = "100000", description = "results to run for (default: ${DEFAULT-VALUE})")
    long frames;
    @Option(names = "--swap-detector-every", paramLabel = "N", defaultValue = "300",
        description = "results between detector swaps; 0: none (default: ${DEFAULT-VALUE})")
    long detectorEvery;
    @Option(names = "--swap-source-every", paramLabel = "N", defaultValue = "500",
        description = "results between source swaps; 0: none (default: ${DEFAULT-VALUE})")
    long sourceEvery;
    @Option(names = "--sample-every", paramLabel = "S", defaultValue = "10", description = "seconds between samples (default: ${DEFAULT-VALUE})")
    double sampleSeconds;
    @Option(names = "--size", paramLabel = "PX", defaultValue = "128", description = "side of the synthetic grey frames (default: ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--out", paramLabel = "DIR", defaultValue = "soak", description = "where soak.csv, soak.svg and soak.png go (default: ${DEFAULT-VALUE})")
    Path out;
    @Option(names = "--models", paramLabel = "DIR", description = "where the backbone weights are")
    Path backboneWeights;
    @Option(names = "--rate", paramLabel = "FPS", defaultValue = "0",
        description = "frames per second from a camera-like clock instead of as fast as the station takes them; the "
            + "summary then gives the latency from capture to result (percentiles over all frames and after the first "
            + "tenth); 0: full speed (default: ${DEFAULT-VALUE})")
    double rate;

    Soak(CommandContext console) {
      this.console = console;
    }

    @Override
    public Integer call() throws Exception {
      Path work = console.workingDirectory();
      List<Path> resolved = models.stream().map(work::resolve).toList();
      return run(this, resolved, work.resolve(out), backboneWeights == null ? null : work.resolve(backboneWeights));
    }
  }

  private int run(Soak flags, List<Path> modelDirectories, Path outDirectory, Path backboneWeights) throws Exception {
    PrintStream out = flags.console.out();
    long frames = Math.max(1, flags.frames);
    Files.createDirectories(outDirectory);
    List<Detector> detectors = new ArrayList<>();
    List<ServiceRegistration<?>> registrations = new ArrayList<>();
    Configuration stationConfiguration = configurationAdmin.getConfiguration(Station.PID, "?");
    Dictionary<String, Object> previous = stationConfiguration.getProperties();
    FrameLedger ledger = new FrameLedger();
    AtomicLong made = new AtomicLong();
    ProcessProbe probe = new ProcessProbe();
    try (SoakLog log = new SoakLog(outDirectory.resolve("soak.csv"))) {
      int slots = Math.max(2, modelDirectories.size());
      for (int slot = 0; slot < slots; slot++) {
        Path model = modelDirectories.get(slot % modelDirectories.size());
        Detector detector = SavedModels.load(factories, model, backboneWeights);
        detectors.add(detector);
        registrations.add(context.registerService(Detector.class, detector, new Hashtable<>(Map.of(
            Detector.NAME_PROPERTY, detector.name(), Detector.ALGORITHM_PROPERTY, detector.algorithm(),
            SLOT_PROPERTY, slot))));
        out.println("Detector " + slot + ": " + detector.name() + " (" + detector.algorithm() + ") from " + model);
      }
      // Latencies only on a camera's clock (where the summary gives them): at full speed they would be
      // the soak's own growing heap (8 bytes a frame), which G1 sizes the committed heap after.
      Ledger sink = new Ledger(ledger, flags.rate > 0);
      registrations.add(context.registerService(ResultSink.class, sink,
          new Hashtable<>(Map.of(ResultSink.NAME_PROPERTY, LEDGER_NAME))));
      List<Image> images = Surfaces.make(8, Math.max(16, flags.size), 17);
      CameraClock clock = flags.rate > 0 ? new CameraClock(flags.rate) : null;
      for (String name : SOURCE_NAMES) {
        registrations.add(context.registerService(ImageSource.class, new SyntheticSource(name, images, made, clock),
            new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, name))));
      }

      Hashtable<String, Object> settings =
          previous == null ? new Hashtable<>() : new Hashtable<>(FrameworkUtil.asMap(previous));
      settings.put(Station.PAUSED, false);
      int detectorSlot = 0;
      int sourceIndex = 0;
      configure(stationConfiguration, settings, detectorSlot, SOURCE_NAMES[sourceIndex]);
      long detectorSwaps = 0;
      long sourceSwaps = 0;
      long nextDetectorSwap = flags.detectorEvery > 0 ? flags.detectorEvery : Long.MAX_VALUE;
      long nextSourceSwap = flags.sourceEvery > 0 ? flags.sourceEvery : Long.MAX_VALUE;
      long sampleNanos = (long) (Math.max(0.5, flags.sampleSeconds) * 1e9);
      ProgressBar bar = new ProgressBar(flags.console.err(), flags.console.interactive(), "frames");
      long start = System.nanoTime();
      long nextSample = start;
      long lastSampleResults = 0;
      long lastSampleTime = start;
      while (true) {
        long results = ledger.results();
        long now = System.nanoTime();
        if (now >= nextSample || results >= frames) {
          double fps = (results - lastSampleResults) / Math.max(1e-9, (now - lastSampleTime) / 1e9);
          double heap = probe.heapAfterCollectionMegabytes();
          Sample sample = new Sample((now - start) / 1e9, results, now == start ? 0 : fps, heap,
              probe.heapCommittedMegabytes(), probe.settledResidentMegabytes(), liveArrays(), probe.threads(),
              detectorSwaps, sourceSwaps, ledger.errors());
          log.add(sample);
          lastSampleResults = results;
          lastSampleTime = now;
          nextSample = now + sampleNanos;
          bar.update("soak", Math.min(results, frames), frames, String.format(Locale.ROOT,
              "rss %.0f MB  heap %.0f MB  arrays %d  threads %d", sample.residentMegabytes(), sample.heapMegabytes(),
              sample.liveArrays(), sample.threads()));
        } else {
          bar.update("soak", Math.min(results, frames), frames, null);
        }
        if (results >= frames) {
          break;
        }
        boolean swap = false;
        if (results >= nextDetectorSwap) {
          detectorSlot = (detectorSlot + 1) % slots;
          detectorSwaps++;
          nextDetectorSwap += flags.detectorEvery;
          swap = true;
        }
        if (results >= nextSourceSwap) {
          sourceIndex = (sourceIndex + 1) % SOURCE_NAMES.length;
          sourceSwaps++;
          nextSourceSwap += flags.sourceEvery;
          swap = true;
        }
        if (swap) {
          configure(stationConfiguration, settings, detectorSlot, SOURCE_NAMES[sourceIndex]);
        }
        Thread.sleep(20);
      }
      bar.finish();
      double seconds = (System.nanoTime() - start) / 1e9;
      long scoredInRun = ledger.results();

      // No source: the frames already handed out are scored, then the count is final.
      settings.put(Station.SOURCE_TARGET, NO_SOURCE);
      stationConfiguration.update(settings);
      drain(sink, made);
      long lost = ledger.lost(made.get());
      SinkStatus ledgerStatus = station.sinks().stream().filter(s -> s.name().equals(LEDGER_NAME)).findFirst()
          .orElse(new SinkStatus(LEDGER_NAME, "gone", 0, 0, 0, 0));
      long notDelivered = ledgerStatus.dropped() + ledgerStatus.failed();

      String title = String.format(Locale.ROOT, "vigil soak: %d frames, %d detector and %d source swaps",
          ledger.results(), detectorSwaps, sourceSwaps);
      SoakChart.write(log.samples(), title, outDirectory, "soak");
      summary(out, log.samples(), made.get(), ledger, lost, notDelivered, sink, detectorSwaps, sourceSwaps,
          scoredInRun / seconds, seconds, outDirectory);
      if (clock != null) {
        out.println(sink.latencies().describe(flags.rate));
      }
      return lost == 0 && ledger.duplicated() == 0 && ledger.outOfOrder() == 0 && notDelivered == 0 ? 0 : 1;
    } finally {
      if (previous == null) {
        stationConfiguration.delete();
      } else {
        stationConfiguration.update(previous);
      }
      registrations.forEach(ServiceRegistration::unregister);
      for (Detector detector : detectors) {
        SavedModels.close(detector);
      }
    }
  }

  private void configure(Configuration configuration, Hashtable<String, Object> settings, int detectorSlot,
      String source) throws java.io.IOException {
    settings.put(Station.DETECTOR_TARGET, "(" + SLOT_PROPERTY + "=" + detectorSlot + ")");
    settings.put(Station.SOURCE_TARGET, "(" + ImageSource.NAME_PROPERTY + "=" + source + ")");
    configuration.update(settings);
  }

  /**
   * Waits until the station has no source, nothing queued or being scored, and the ledger has had
   * every frame made (or nothing moved for 30 s: then what is missing is lost).
   */
  private void drain(Ledger sink, AtomicLong made) throws InterruptedException {
    long lastChange = System.nanoTime();
    long lastSeen = -1;
    while (System.nanoTime() - lastChange < TimeUnit.SECONDS.toNanos(30)) {
      long seen = sink.ledger.results();
      boolean idle = station.status().state() == StationStatus.State.WAITING_FOR_SOURCE;
      if (idle && seen >= made.get()) {
        Thread.sleep(200); // a frame taken from the queue but not yet marked as being scored
        if (sink.ledger.results() == seen && station.status().state() == StationStatus.State.WAITING_FOR_SOURCE) {
          return;
        }
      }
      if (seen != lastSeen) {
        lastSeen = seen;
        lastChange = System.nanoTime();
      }
      Thread.sleep(50);
    }
  }

  private long liveArrays() {
    DeepLearningEngine current = engine;
    if (current == null) {
      return -1;
    }
    try {
      return current.liveArrays();
    } catch (Exception e) {
      return -1;
    }
  }


  private static void summary(PrintStream out, List<Sample> samples, long made, FrameLedger ledger, long lost,
      long notDelivered, Ledger sink, long detectorSwaps, long sourceSwaps, double framesPerSecond, double seconds,
      Path outDirectory) {
    out.printf(Locale.ROOT, "soak: %d frames made, %d results (%d errors); lost %d, duplicated %d, out of order %d, "
        + "not delivered to the ledger %d%n", made, ledger.results(), ledger.errors(), lost, ledger.duplicated(),
        ledger.outOfOrder(), notDelivered);
    out.printf(Locale.ROOT, "swaps: %d detector (%d detector changes seen in results), %d source (%d seen)%n",
        detectorSwaps, sink.detectorChanges(), sourceSwaps, sink.sourceChanges());
    out.printf(Locale.ROOT, "speed: %.1f frames/s over %s%n", framesPerSecond, ProgressBarClock.format(seconds));
    // Slopes over the run after its first tenth (engine caches, JIT and the first compiled plans settle there).
    List<Sample> settled = samples.stream().filter(s -> s.results() >= ledger.results() / 10).toList();
    double[] x = settled.stream().mapToDouble(s -> s.results() / 100_000.0).toArray();
    double rss = Slope.of(x, settled.stream().mapToDouble(Sample::residentMegabytes).toArray());
    double heap = Slope.of(x, settled.stream().mapToDouble(Sample::heapMegabytes).toArray());
    double arrays = Slope.of(x, settled.stream().mapToDouble(s -> s.liveArrays() < 0 ? Double.NaN : s.liveArrays()).toArray());
    Sample first = settled.isEmpty() ? null : settled.get(0);
    Sample last = settled.isEmpty() ? null : settled.get(settled.size() - 1);
    out.printf(Locale.ROOT, "memory slope per 100,000 frames (after the first 10%%, %d samples): resident %+.1f MB, "
        + "heap %+.1f MB, live arrays %+.1f%n", settled.size(), rss, heap, arrays);
    if (first != null) {
      out.printf(Locale.ROOT, "memory from %d to %d results: resident %.0f -> %.0f MB, heap %.0f -> %.0f MB, "
          + "live arrays %d -> %d, threads %d -> %d%n", first.results(), last.results(), first.residentMegabytes(),
          last.residentMegabytes(), first.heapMegabytes(), last.heapMegabytes(), first.liveArrays(), last.liveArrays(),
          first.threads(), last.threads());
    }
    if (!settled.isEmpty()) {
      out.printf(Locale.ROOT, "resident memory by quarter after the first 10%% (lowest-highest MB): %s; "
          + "heap committed: %s%n",
          Quarters.describe(Quarters.of(settled, Sample::residentMegabytes)),
          Quarters.describe(Quarters.of(settled, Sample::heapCommittedMegabytes)));
    }
    out.println("files: " + outDirectory.resolve("soak.csv") + ", " + outDirectory.resolve("soak.svg") + ", "
        + outDirectory.resolve("soak.png"));
  }

  /** m:ss or h:mm:ss. */
  private static final class ProgressBarClock {
    static String format(double seconds) {
      long s = Math.round(seconds);
      return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
          : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }
  }

  /** The soak's result sink: each soak frame into the ledger, and which detector and source it came from. */
  static final class Ledger implements ResultSink {
    final FrameLedger ledger;
    private final Latencies latencies = new Latencies();
    private final boolean recordLatencies;
    private String lastDetector;
    private String lastSource;
    private long detectorChanges;
    private long sourceChanges;

    Ledger(FrameLedger ledger, boolean recordLatencies) {
      this.ledger = ledger;
      this.recordLatencies = recordLatencies;
    }

    @Override
    public synchronized void accept(InspectionResult result) {
      long number = SyntheticSource.number(result.frameId());
      if (number < 0) {
        return;
      }
      ledger.record(number, result.isError());
      if (recordLatencies && result.frame() != null) {
        latencies.add(java.time.Duration.between(result.frame().timestamp(), result.completedAt()).toNanos() / 1e6);
      }
      if (lastDetector != null && !lastDetector.equals(result.detectorName())) {
        detectorChanges++;
      }
      if (lastSource != null && !lastSource.equals(result.sourceName())) {
        sourceChanges++;
      }
      lastDetector = result.detectorName();
      lastSource = result.sourceName();
    }

    synchronized Latencies latencies() {
      return latencies.copy();
    }

    synchronized long detectorChanges() {
      return detectorChanges;
    }

    synchronized long sourceChanges() {
      return sourceChanges;
    }
  }
}
