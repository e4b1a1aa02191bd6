package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detector;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import io.vigil.itest.StationFixtures.Collector;
import io.vigil.itest.StationFixtures.ConstantDetector;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceRegistration;

/** Folder sources from factory configurations, the live one feeding the running station. */
class FolderSourceTest {
  private static final String LIVE = "itest-folder-live";
  private static final String SNAPSHOT = "itest-folder-snapshot";
  private final OsgiSupport osgi = new OsgiSupport();
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private Path folder;
  private Path staging;

  @BeforeEach
  void folders() throws Exception {
    folder = Files.createTempDirectory("vigil-itest-folder");
    staging = Files.createTempDirectory("vigil-itest-staging");
  }

  @AfterEach
  void cleanUp() throws Exception {
    osgi.cleanUp(); // first: the station finishes with this test's frames while its detector is there
    registrations.forEach(ServiceRegistration::unregister);
    osgi.awaitSourceGone(LIVE);
    osgi.awaitSourceGone(SNAPSHOT);
    for (Path dir : List.of(folder, staging)) {
      try (Stream<Path> files = Files.walk(dir)) {
        for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(file);
        }
      }
    }
  }

  @Test
  void aFileCopiedIntoAWatchedFolderBecomesAResultAndACorruptOneAnErrorResult() throws Exception {
    Collector collector = new Collector(LIVE);
    registrations.add(osgi.context.registerService(ResultSink.class, collector, null));
    registrations.add(osgi.context.registerService(Detector.class, new ConstantDetector("itest-folder-detector", 0.2f),
        new Hashtable<>(Map.of(Detector.NAME_PROPERTY, "itest-folder-detector"))));
    osgi.pinStationSource(LIVE);
    osgi.createFactoryConfiguration("io.vigil.source.folder", Map.of(
        "vigil.source.name", LIVE, "path", folder.toString(), "mode", "LIVE", "live.settle.ms", 100L));
    ImageSource source = osgi.awaitSource(LIVE);
    assertFalse(source.isFinite());
    await(() -> LIVE.equals(osgi.station().status().sourceName()), () -> "station on " + LIVE);

    // Files arrive whole (written aside, then moved in), as a camera writer should deliver them:
    // a half-copied file would only test how long this machine stalls a writer.
    moveIn(png(staging.resolve("part-1.png"), 40));
    await(() -> collector.frameIds().contains("part-1.png"), () -> "a result for part-1.png, have " + collector.frameIds());

    moveIn(Files.write(staging.resolve("part-2.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10, 0, 0, 0, 13}));
    await(() -> collector.results.stream().anyMatch(r -> r.error() != null),
        () -> "an error result for the corrupt file, have " + collector.frameIds());

    moveIn(png(staging.resolve("part-3.png"), 90));
    await(() -> collector.frameIds().contains("part-3.png"), () -> "a result for part-3.png, have " + collector.frameIds());

    List<InspectionResult> results = collector.snapshot();
    assertEquals(3, results.size(), "one result per file: " + collector.frameIds());
    InspectionResult good = results.get(0);
    assertNotNull(good.detection());
    assertEquals(0.2, good.detection().rawScore(), 1e-6);
    InspectionResult error = results.get(1);
    assertNull(error.detection());
    assertTrue(error.frameId().endsWith("part-2.png") && error.error().contains("part-2.png"), error.toString());
    assertNotNull(results.get(2).detection(), "the watch went on after the corrupt file");

    String watcherThread = "vigil-folder-watch-" + LIVE;
    assertTrue(OsgiSupport.threadAlive(watcherThread), "the source owns a named watcher thread");
    osgi.cleanUp();
    OsgiSupport.awaitThreadGone(watcherThread);
  }

  @Test
  void aSnapshotDeliversTheFolderSortedWithMasksByNamingRule() throws Exception {
    osgi.pinStationSource("itest-nothing");
    png(folder.resolve("b/002.png"), 10);
    png(folder.resolve("a/001.png"), 20);
    Path mask = folder.resolve("a/001_mask.png");
    byte[] defect = new byte[16 * 12];
    defect[5] = (byte) 255;
    ImageFiles.writePng(Image.of8Bit(16, 12, 1, defect), mask);
    osgi.createFactoryConfiguration("io.vigil.source.folder", Map.of(
        "vigil.source.name", SNAPSHOT, "path", folder.toString(), "mask.suffix", "_mask"));
    ImageSource source = osgi.awaitSource(SNAPSHOT);
    assertTrue(source.isFinite());
    try (FrameStream stream = source.open()) {
      assertEquals(2, stream.size().getAsInt());
      Frame first = stream.next(Duration.ofSeconds(60));
      assertEquals("a/001.png", first.id());
      assertEquals("a", first.groundTruth().defectType());
      assertEquals(1, first.groundTruth().mask().defectPixelCount());
      Frame second = stream.next(Duration.ofSeconds(60));
      assertEquals("b/002.png", second.id());
      assertFalse(second.groundTruth().anomalous());
      assertTrue(stream.isExhausted());
    }
  }

  private void moveIn(Path staged) throws Exception {
    Files.move(staged, folder.resolve(staged.getFileName()), java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static Path png(Path file, int grey) throws Exception {
    Files.createDirectories(file.getParent());
    byte[] pixels = new byte[16 * 12];
    java.util.Arrays.fill(pixels, (byte) grey);
    ImageFiles.writePng(Image.of8Bit(16, 12, 1, pixels), file);
    return file;
  }
}
