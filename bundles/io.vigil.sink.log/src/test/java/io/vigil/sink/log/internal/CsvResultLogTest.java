package io.vigil.sink.log.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvResultLogTest {
  @TempDir Path temp;

  /** A clock the test moves. */
  private static final class TestClock extends Clock {
    Instant now = Instant.parse("2026-12-01T23:59:00Z");

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void oneRowPerResultWithAHeaderAndANewFileEachDay() throws Exception {
    TestClock clock = new TestClock();
    CsvResultLog log = new CsvResultLog(temp, "line", "daily", 1 << 20, clock);
    log.accept(ok(1, "part-1", 0.3, 1.2));
    log.accept(error(2, "part-2.png", "corrupt image, \"truncated\""));
    clock.now = clock.now.plus(Duration.ofMinutes(2)); // past midnight
    log.accept(ok(3, "part-3", 2.5, 1.2));
    log.close();

    List<CSVRecord> first = read(temp.resolve("line-2026-12-01.csv"));
    assertEquals(List.of(CsvResultLog.HEADER), List.of(first.get(0).values()));
    assertEquals(3, first.size());
    assertEquals("part-1", first.get(1).get(2));
    assertEquals("OK", first.get(1).get(5));
    assertEquals("0.300000", first.get(1).get(6));
    assertEquals("1.200000", first.get(1).get(8));
    assertEquals("ERROR", first.get(2).get(5));
    assertEquals("corrupt image, \"truncated\"", first.get(2).get(10), "quoted as CSV");
    List<CSVRecord> second = read(temp.resolve("line-2026-12-02.csv"));
    assertEquals(2, second.size(), "header and the third result");
    assertEquals("NOK", second.get(1).get(5));
  }

  @Test
  void aFullFileIsFollowedByANumberedOneAndRestartsAppend() throws Exception {
    TestClock clock = new TestClock();
    CsvResultLog log = new CsvResultLog(temp, "line", "size", 300, clock);
    for (int i = 1; i <= 6; i++) {
      log.accept(ok(i, "part-" + i, 0.1, 1));
    }
    log.close();
    assertTrue(Files.exists(temp.resolve("line.csv")));
    assertTrue(Files.exists(temp.resolve("line-1.csv")), "rotated by size");
    int rows = 0;
    for (Path file : List.of(temp.resolve("line.csv"), temp.resolve("line-1.csv"), temp.resolve("line-2.csv"))) {
      if (Files.exists(file)) {
        List<CSVRecord> records = read(file);
        assertEquals("time", records.get(0).get(0), file + " starts with the header");
        rows += records.size() - 1;
      }
    }
    assertEquals(6, rows, "every result in exactly one file");

    // A restarted station appends to the last file that is not full, without a second header.
    CsvResultLog again = new CsvResultLog(temp, "line", "size", 1 << 20, clock);
    again.accept(ok(7, "part-7", 0.1, 1));
    again.close();
    List<CSVRecord> records = read(temp.resolve("line.csv"));
    assertEquals(1, records.stream().filter(r -> r.get(0).equals("time")).count());
  }

  @Test
  void anUnwritableDirectoryFailsWithTheReasonInItsState() throws Exception {
    Path blocker = Files.writeString(temp.resolve("not-a-directory"), "x");
    CsvResultLog log = new CsvResultLog(blocker.resolve("logs"), "line", "daily", 1 << 20, new TestClock());
    assertThrows(UncheckedIOException.class, () -> log.accept(ok(1, "part-1", 0.1, 1)));
    assertTrue(log.state().startsWith("cannot write"), log.state());
  }

  private static List<CSVRecord> read(Path file) throws Exception {
    try (Reader reader = Files.newBufferedReader(file)) {
      return CSVFormat.DEFAULT.parse(reader).getRecords();
    }
  }

  private static InspectionResult ok(long sequence, String frame, double score, double threshold) {
    Detection detection = new Detection(new AnomalyMap(1, 1, new float[] {(float) score}), score, score / threshold,
        score < threshold ? Decision.OK : Decision.NOK);
    return new InspectionResult(sequence, null, frame, "line-1", "tiles", detection, null, Duration.ofMillis(31),
        Instant.parse("2026-12-01T10:00:00Z"), threshold);
  }

  private static InspectionResult error(long sequence, String origin, String error) {
    return new InspectionResult(sequence, null, origin, "line-1", null, null, error, Duration.ZERO,
        Instant.parse("2026-12-01T10:00:01Z"));
  }
}
