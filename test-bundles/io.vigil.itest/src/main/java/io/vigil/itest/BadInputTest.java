package io.vigil.itest;

import static io.vigil.itest.BackboneTest.service;
import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandDispatcher;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/**
 * Issue 17's bad input: a thousand odd and broken image files ({@link FuzzCorpus}) through the live
 * folder source into a station scoring with a real (tiny) SimpleNet model, and through
 * {@code ./vigil score}. Every file gives a result or an error result naming it, the station keeps
 * inspecting, the heap does not grow, and the command prints one line per bad file, no stack trace.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BadInputTest {
  private static final String SOURCE = "itest-fuzz-live";
  private static final String DETECTOR = "itest-fuzz-simplenet";
  private static final long SEED = 17;
  private static final int FILES = 1000;
  /** Files of the same corpus scored first, so caches, JIT and Image I/O's plug-ins are settled before the heap is measured. */
  private static final int WARM_UP_FILES = 200;

  private static Path work;
  /** io.vigil.shell, which holds ./vigil score, and Gogo's runtime it needs: installed for this class only. */
  private static final List<Bundle> installed = new ArrayList<>();
  private static Path model;
  private static List<Path> corpus;

  private final OsgiSupport osgi = new OsgiSupport();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();

  @BeforeAll
  static void trainATinyModelAndWriteTheCorpus() throws Exception {
    work = Files.createTempDirectory("vigil-itest-fuzz");
    corpus = FuzzCorpus.write(work.resolve("corpus"), SEED, FILES);
    DetectorFactory factory = service(DetectorFactory.class, "(vigil.detector.algorithm=simplenet)");
    List<Image> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(SimpleNetTest.surface(64, 48, i));
    }
    for (String fixture : List.of("gogo-runtime.jar", "shell.jar")) {
      try (InputStream jar = BadInputTest.class.getResourceAsStream("/fixtures/" + fixture)) {
        installed.add(new OsgiSupport().context.installBundle("itest:fixtures/" + fixture, jar));
      }
    }
    for (Bundle bundle : installed) {
      bundle.start();
    }
    model = work.resolve("model");
    // A real SimpleNet, kept small (64 px input, one epoch) so a thousand frames cost seconds.
    factory.train(SimpleNetTest.source(good), Map.of("input.size", 64, "epochs", 1, "batch.size", 4, "name", DETECTOR),
        model, TrainingMonitor.NONE);
  }

  @AfterAll
  static void removeModelAndCorpus() throws Exception {
    new OsgiSupport().withdrawDetectors(DETECTOR);
    for (int i = installed.size() - 1; i >= 0; i--) {
      installed.get(i).uninstall();
    }
    installed.clear();
    if (work != null) {
      try (Stream<Path> files = Files.walk(work)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    osgi.cleanUp();
    registrations.forEach(ServiceRegistration::unregister);
    osgi.awaitSourceGone(SOURCE);
  }

  @Test
  @Order(1)
  void everyFileThroughTheLiveFolderGivesAResultOrAnErrorAndTheStationGoesOnWithTheHeapFlat() throws Exception {
    Path folder = Files.createDirectories(work.resolve("watched"));
    Path staging = Files.createDirectories(work.resolve("staging"));
    Outcomes outcomes = new Outcomes();
    registrations.add(osgi.context.registerService(ResultSink.class, outcomes, null));
    osgi.pinStationSource(SOURCE);
    osgi.configurationAdmin().getConfiguration(OsgiSupport.STATION_PID, "?").update(new Hashtable<>(Map.of(
        "source.target", "(vigil.source.name=" + SOURCE + ")", "detector.target", "(vigil.detector.name=" + DETECTOR + ")")));
    osgi.createFactoryConfiguration("io.vigil.source.folder", Map.of(
        "vigil.source.name", SOURCE, "path", folder.toString(), "mode", "LIVE", "live.settle.ms", 50L));
    osgi.awaitSource(SOURCE);
    await(() -> SOURCE.equals(osgi.station().status().sourceName())
        && DETECTOR.equals(osgi.station().status().detectorName()), () -> "station on " + SOURCE + " with " + DETECTOR);

    // Warm-up: part of the corpus under other names, then a good frame.
    List<String> warmUp = new ArrayList<>();
    for (Path file : corpus.subList(0, WARM_UP_FILES)) {
      warmUp.add(moveIn(Files.copy(file, staging.resolve("warm-" + file.getFileName())), folder));
    }
    warmUp.add(moveIn(goodPng(staging.resolve("warm-good.png"), 1), folder));
    await(() -> outcomes.named(warmUp).size() == warmUp.size(),
        () -> "results for the warm-up files, have " + outcomes.named(warmUp).size() + " of " + warmUp.size());
    long heapBefore = heapAfterGc();

    List<String> names = new ArrayList<>();
    for (Path file : corpus) {
      names.add(moveIn(Files.copy(file, staging.resolve(file.getFileName())), folder));
    }
    await(() -> outcomes.named(names).size() >= names.size(),
        () -> "a result for every corpus file, have " + outcomes.named(names).size() + " of " + names.size());

    // The station goes on: good parts after the corpus are scored, not errors.
    List<String> after = List.of(moveIn(goodPng(staging.resolve("after-1.png"), 2), folder),
        moveIn(goodPng(staging.resolve("after-2.png"), 3), folder));
    await(() -> outcomes.named(after).size() == after.size(), () -> "results for the good frames after the corpus");
    for (Outcome outcome : outcomes.named(after).values()) {
      assertTrue(outcome.scored(), "a good frame after the corpus is scored: " + outcome);
    }
    StationStatus status = osgi.station().status();
    assertEquals(StationStatus.State.RUNNING, status.state(), "the station still inspects: " + status);

    Map<String, Outcome> results = outcomes.named(names);
    for (String name : names) {
      assertEquals(1, outcomes.count(name), "exactly one result for " + name);
      Outcome outcome = results.get(name);
      assertTrue(outcome.scored() || !outcome.error().isBlank(), "a score or an error for " + name + ": " + outcome);
    }
    Set<String> unreadable = results.values().stream().filter(o -> !o.scored()).map(Outcome::name)
        .collect(Collectors.toCollection(TreeSet::new));
    // Every kind of broken file is among them, and every kind of odd but valid one is scored.
    for (String kind : List.of("empty", "random", "magic-random", "truncated-png", "truncated-bmp", "bomb-png",
        "bomb-bmp", "bomb-tiff", "bomb-jpeg", "bomb-gif", "float-tiff")) {
      assertTrue(unreadable.stream().anyMatch(n -> n.contains("-" + kind + ".")), "some " + kind + " file is refused");
    }
    for (String kind : List.of("grey16-png", "grey-alpha-png", "grey-alpha16-png", "rgba16-png", "palette-alpha-png",
        "animated-gif", "cmyk-jpeg", "ycck-jpeg", "multipage-tiff", "indexed-bmp", "broken-exif")) {
      List<String> ofKind = names.stream().filter(n -> n.contains("-" + kind + ".")).toList();
      assertFalse(ofKind.isEmpty(), "the corpus has " + kind + " files");
      for (String name : ofKind) {
        assertTrue(results.get(name).scored(), name + " is valid and scored: " + results.get(name));
      }
    }
    for (String name : unreadable) {
      assertTrue(results.get(name).error().contains(name) || results.get(name).frameId().endsWith(name), name);
    }

    long heapAfter = heapAfterGc();
    System.out.printf(java.util.Locale.ROOT, "BadInputTest: %d files, %d scored, %d error results; heap after gc %d KiB"
        + " after the warm-up, %d KiB after the corpus%n", names.size(), names.size() - unreadable.size(),
        unreadable.size(), heapBefore / 1024, heapAfter / 1024);
    assertTrue(heapAfter <= heapBefore * 1.10, "heap after the corpus " + heapAfter / 1024 + " KiB, after the warm-up "
        + heapBefore / 1024 + " KiB: grew by more than 10%");
    unreadableInStation = unreadable;
  }

  /** What the station made of the corpus, for the command's test to compare with. */
  private static Set<String> unreadableInStation;

  @Test
  @Order(2)
  void scorePrintsOneLinePerFileAndNoStackTrace() throws Exception {
    List<String> arguments = new ArrayList<>(List.of("score", "--model", model.toString()));
    for (Path file : corpus) {
      arguments.add(file.toString());
    }
    CapturedConsole console = new CapturedConsole(work);
    CommandDispatcher dispatcher = dispatcher("score");
    int status = dispatcher.run(arguments, console);
    assertEquals(1, status, "some files are bad: " + console.errors());

    String printed = console.printed();
    String errors = console.errors();
    for (String line : (printed + errors).split("\n")) {
      assertFalse(line.startsWith("\tat ") || line.contains("Exception in") || line.contains("\tat "),
          "no stack trace on the console: " + line);
    }
    List<String> outLines = printed.lines().skip(1).toList(); // the column header first
    List<String> errLines = errors.lines().toList();
    assertEquals(corpus.size(), outLines.size() + errLines.size(), "one line per file:\n" + errors);
    Set<String> bad = new TreeSet<>();
    for (Path file : corpus) {
      String path = file.toString();
      long scoredLines = outLines.stream().filter(l -> l.startsWith(path + " ")).count();
      long errorLines = errLines.stream().filter(l -> l.startsWith(path + ": ")).count();
      assertEquals(1, scoredLines + errorLines, "exactly one line naming " + path);
      if (errorLines == 1) {
        bad.add(file.getFileName().toString());
      }
    }
    assertTrue(bad.size() > 100 && bad.size() < corpus.size() - 100, "many bad files and many good ones: " + bad.size());
    if (unreadableInStation != null) {
      assertEquals(unreadableInStation, bad, "the station and the command refuse the same files");
    }
  }

  @Test
  @Order(3)
  void aFolderSourcesPixelLimitAndLongestSideAreConfigured() throws Exception {
    Path folder = Files.createDirectories(work.resolve("limits"));
    ImageFiles.writePng(SimpleNetTest.surface(40, 10, 1), folder.resolve("a-wide.png")); // 400 pixels
    ImageFiles.writePng(SimpleNetTest.surface(30, 20, 2), folder.resolve("b-large.png")); // 600 pixels
    osgi.pinStationSource("itest-nothing");
    osgi.createFactoryConfiguration("io.vigil.source.folder", Map.of(
        "vigil.source.name", SOURCE, "path", folder.toString(), "max.pixels", 500L, "decode.max.side", 16));
    try (FrameStream stream = osgi.awaitSource(SOURCE).open()) {
      Frame wide = stream.next(Duration.ofSeconds(60));
      assertEquals(14, wide.image().width(), "40 px decoded at a third: at most 16 px a side");
      assertEquals(4, wide.image().height());
      FrameReadException refused = assertThrows(FrameReadException.class, () -> stream.next(Duration.ofSeconds(60)));
      assertTrue(refused.getMessage().contains("b-large.png") && refused.getMessage().contains("above the limit of 500"),
          refused.getMessage());
    }
  }

  private CommandDispatcher dispatcher(String verb) throws InterruptedException {
    await(() -> {
      try {
        return !osgi.context.getServiceReferences(Command.class, "(" + Command.NAME_PROPERTY + "=" + verb + ")").isEmpty()
            && osgi.context.getServiceReference(CommandDispatcher.class) != null;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }, () -> "command " + verb + " registered");
    return osgi.context.getService(osgi.context.getServiceReference(CommandDispatcher.class));
  }

  /** Used heap after collecting: the least of three tries, so a collection racing an allocation does not count. */
  private static long heapAfterGc() {
    long least = Long.MAX_VALUE;
    for (int i = 0; i < 3; i++) {
      System.gc();
      least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
    }
    return least;
  }

  /** Moves a staged file into the watched folder in one step, as a camera writer should; returns its name. */
  private static String moveIn(Path staged, Path folder) throws IOException {
    Files.move(staged, folder.resolve(staged.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    return staged.getFileName().toString();
  }

  private static Path goodPng(Path file, long seed) throws IOException {
    ImageFiles.writePng(SimpleNetTest.surface(64, 48, 100 + seed), file);
    return file;
  }

  /** A result reduced to what the test checks, so the sink holds no images while the heap is measured. */
  record Outcome(String name, String frameId, boolean scored, String error) {}

  /** Collects the outcomes of this test's source, keyed by file name. */
  static final class Outcomes implements ResultSink {
    private final List<Outcome> outcomes = new CopyOnWriteArrayList<>();

    @Override
    public void accept(InspectionResult result) {
      if (SOURCE.equals(result.sourceName())) {
        String name = Path.of(result.frameId()).getFileName().toString();
        outcomes.add(new Outcome(name, result.frameId(), result.detection() != null,
            result.error() == null ? "" : result.error()));
      }
    }

    Map<String, Outcome> named(List<String> names) {
      Set<String> wanted = Set.copyOf(names);
      Map<String, Outcome> found = new HashMap<>();
      for (Outcome outcome : outcomes) {
        if (wanted.contains(outcome.name())) {
          found.putIfAbsent(outcome.name(), outcome);
        }
      }
      return found;
    }

    long count(String name) {
      return outcomes.stream().filter(o -> o.name().equals(name)).count();
    }
  }
}
