package io.vigil.dataset.capture.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.dataset.capture.CaptureFolder;
import io.vigil.dataset.capture.CaptureFolderTest;
import io.vigil.dataset.capture.CaptureLog;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CaptureTest {
  private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

  @TempDir
  Path root;

  /** Frames i = 0.. with grey value i; item {@code broken} fails to read. */
  static final class ListedSource implements ImageSource {
    final int frames;
    final boolean finite;
    final int broken;
    int lostAt = -1;
    int opened;

    ListedSource(int frames, boolean finite, int broken) {
      this.frames = frames;
      this.finite = finite;
      this.broken = broken;
    }

    @Override
    public String name() {
      return "listed";
    }

    @Override
    public boolean isFinite() {
      return finite;
    }

    @Override
    public FrameStream open() {
      int stream = opened++;
      return new FrameStream() {
        int next;

        @Override
        public Frame next(Duration timeout) throws FrameReadException, IOException {
          if (next >= frames) {
            return null;
          }
          int i = next++;
          if (i == lostAt && stream == 0) {
            throw new IOException("camera unplugged");
          }
          if (i == broken) {
            throw new FrameReadException("item-" + i, "corrupt", null);
          }
          return new Frame("s" + stream + "-f" + i, T0.plusSeconds(i), "test", CaptureFolderTest.grey(i), null,
              Map.of("camera.frame.id", Integer.toString(i)));
        }

        @Override
        public boolean isExhausted() {
          return finite && next >= frames;
        }

        @Override
        public void close() {}
      };
    }
  }

  /** A clock that moves on by {@code step} each time it is read. */
  static Clock stepping(Duration step) {
    return new Clock() {
      Instant now = T0;

      @Override
      public Instant instant() {
        Instant read = now;
        now = now.plus(step);
        return read;
      }

      @Override
      public java.time.ZoneId getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }
    };
  }

  private final List<Path> saved = new ArrayList<>();
  private final List<String> skipped = new ArrayList<>();
  private final Capture.Listener listener = new Capture.Listener() {
    @Override
    public void saved(Path file, Frame frame) {
      saved.add(file);
    }

    @Override
    public void skipped(String reason) {
      skipped.add(reason);
    }
  };

  private List<CSVRecord> log() throws IOException {
    try (Reader reader = Files.newBufferedReader(root.resolve(CaptureLog.FILE))) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
    }
  }

  @Test
  void aFiniteSourceEndsTheCaptureAndEveryImageIsLogged() throws Exception {
    ListedSource source = new ListedSource(5, true, 2);
    CaptureFolder folder = CaptureFolder.create(root, "train/good");
    Capture.End end;
    try (CaptureLog log = new CaptureLog(root)) {
      end = new Capture(source, Map.of("exposure.us", "2000"), folder, log, stepping(Duration.ofMillis(1)))
          .run(0, Duration.ZERO, null, listener);
    }
    assertEquals(Capture.End.SOURCE_EXHAUSTED, end);
    assertEquals(4, saved.size(), "the unreadable frame is skipped");
    assertEquals(1, skipped.size());
    List<CSVRecord> rows = log();
    assertEquals(List.of("train/good/000.png", "train/good/001.png", "train/good/002.png", "train/good/003.png"),
        rows.stream().map(r -> r.get("file")).toList());
    CSVRecord last = rows.get(3);
    assertEquals("s0-f4", last.get("frame_id"));
    assertEquals(T0.plusSeconds(4).toString(), last.get("time"));
    assertEquals("listed", last.get("source"));
    assertEquals("6", last.get("width"));
    assertEquals("8", last.get("bit_depth"));
    assertEquals("exposure.us=2000", last.get("settings"));
    assertEquals("camera.frame.id=4", last.get("metadata"));
    assertEquals(4, ImageFiles.read(root.resolve("train/good/003.png")).sample(0, 0, 0), "frame 4's pixels");
  }

  @Test
  void aSecondCaptureAppendsToTheLogAndContinuesTheNumbers() throws Exception {
    for (int run = 0; run < 2; run++) {
      try (CaptureLog log = new CaptureLog(root)) {
        new Capture(new ListedSource(3, true, -1), Map.of(), CaptureFolder.create(root, "test/dent"), log,
            stepping(Duration.ofMillis(1))).run(2, Duration.ZERO, null, listener);
      }
    }
    assertEquals(List.of("test/dent/000.png", "test/dent/001.png", "test/dent/002.png", "test/dent/003.png"),
        log().stream().map(r -> r.get("file")).toList(), "one header, four rows");
  }

  @Test
  void everyLeavesOutTheFramesBetween() throws Exception {
    // The clock moves 40 ms per frame; with --every 100 ms frames 0, 3, 6 are saved.
    try (CaptureLog log = new CaptureLog(root)) {
      new Capture(new ListedSource(100, false, -1), Map.of(), CaptureFolder.create(root, "train/good"), log,
          stepping(Duration.ofMillis(40))).run(3, Duration.ofMillis(100), null, listener);
    }
    assertEquals(List.of("s0-f0", "s0-f3", "s0-f6"), log().stream().map(r -> r.get("frame_id")).toList());
  }

  @Test
  void aLiveSourceOnTriggerTakesAFrameFromAFreshStreamPerTrigger() throws Exception {
    ListedSource source = new ListedSource(100, false, -1);
    int[] triggers = {3};
    Capture.End end;
    try (CaptureLog log = new CaptureLog(root)) {
      end = new Capture(source, Map.of(), CaptureFolder.create(root, "test/good"), log, stepping(Duration.ZERO))
          .run(0, Duration.ZERO, () -> triggers[0]-- > 0, listener);
    }
    assertEquals(Capture.End.TRIGGERS_ENDED, end);
    assertEquals(List.of("s0-f0", "s1-f0", "s2-f0"), log().stream().map(r -> r.get("frame_id")).toList());
  }

  @Test
  void aLiveSourceThatLosesItsCameraIsReadOnFromANewStream() throws Exception {
    ListedSource source = new ListedSource(100, false, -1);
    source.lostAt = 2;
    try (CaptureLog log = new CaptureLog(root)) {
      new Capture(source, Map.of(), CaptureFolder.create(root, "train/good"), log, stepping(Duration.ZERO))
          .run(4, Duration.ZERO, null, listener);
    }
    assertEquals(List.of("s0-f0", "s0-f1", "s1-f0", "s1-f1"), log().stream().map(r -> r.get("frame_id")).toList());
    assertEquals(1, skipped.size());
    assertTrue(skipped.get(0).contains("camera unplugged"), skipped.get(0));
  }

  @Test
  void aFiniteSourceThatFailsEndsTheCapture() throws Exception {
    ListedSource source = new ListedSource(5, true, -1);
    source.lostAt = 1;
    try (CaptureLog log = new CaptureLog(root)) {
      Capture capture = new Capture(source, Map.of(), CaptureFolder.create(root, "train/good"), log,
          stepping(Duration.ZERO));
      assertThrows(IOException.class, () -> capture.run(0, Duration.ZERO, null, listener));
      assertEquals(1, capture.saved());
    }
  }

  @Test
  void anInterruptStopsTheCapture() throws Exception {
    Thread.currentThread().interrupt();
    Capture.End end;
    try (CaptureLog log = new CaptureLog(root)) {
      end = new Capture(new ListedSource(100, false, -1), Map.of(), CaptureFolder.create(root, "train/good"), log,
          stepping(Duration.ZERO)).run(0, Duration.ZERO, null, listener);
    }
    assertTrue(Thread.interrupted(), "the interrupt is kept for the caller");
    assertEquals(Capture.End.INTERRUPTED, end);
    assertTrue(saved.isEmpty());
  }

  @Test
  void options() {
    CaptureOptions options = CaptureOptions.parse(
        List.of("--source", "cam-1", "--out", "data", "--as", "test/crack", "--count", "20", "--every", "250"));
    assertEquals("cam-1", options.source());
    assertEquals(20, options.count());
    assertEquals(Duration.ofMillis(250), options.every());
    assertFalse(options.softwareTrigger());
    assertTrue(CaptureOptions.parse(List.of("--source", "a", "--out", "d", "--as", "train/good", "--trigger", "software"))
        .softwareTrigger());
    for (List<String> bad : List.of(
        List.of("--source", "a", "--out", "d"),
        List.of("--source", "a", "--out", "d", "--as", "train/bad"),
        List.of("--source", "a", "--out", "d", "--as", "train/good", "--count", "0"),
        List.of("--source", "a", "--out", "d", "--as", "train/good", "--every", "5", "--trigger", "software"),
        List.of("--source", "a", "--out", "d", "--as", "train/good", "--trigger", "hardware"),
        List.of("--source", "a", "--out", "d", "--as", "train/good", "--count"))) {
      assertThrows(IllegalArgumentException.class, () -> CaptureOptions.parse(bad), bad.toString());
    }
  }
}
