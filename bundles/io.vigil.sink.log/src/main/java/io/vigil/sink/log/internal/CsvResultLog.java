package io.vigil.sink.log.internal;

import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.LocalDate;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each result as a CSV row, flushed at once (a crash loses no row), into daily and/or
 * size-rotated files. Called on the sink's own thread by the station, one result at a time.
 */
@Component(name = "io.vigil.sink.log", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ResultLogConfiguration.class, factory = true)
public class CsvResultLog implements ResultSink {
  static final String[] HEADER = {
    "time", "sequence", "frame", "source", "detector", "decision", "raw_score", "normalized_score", "threshold",
    "milliseconds", "error"
  };
  private static final Logger LOG = LoggerFactory.getLogger(CsvResultLog.class);

  private final Path directory;
  private final String prefix;
  private final String rotate;
  private final long maxBytes;
  private final Clock clock;
  private CSVPrinter printer;
  private Path file;
  private LocalDate fileDay;
  private long fileBytes;
  private String state = "no result yet";

  @Activate
  public CsvResultLog(ResultLogConfiguration configuration) {
    this(Path.of(configuration.directory()), configuration.prefix(), configuration.rotate(),
        configuration.max_megabytes() * 1024L * 1024L, Clock.systemDefaultZone());
  }

  CsvResultLog(Path directory, String prefix, String rotate, long maxBytes, Clock clock) {
    this.directory = directory;
    this.prefix = prefix;
    this.rotate = rotate;
    this.maxBytes = Math.max(1, maxBytes);
    this.clock = clock;
  }

  @Override
  public synchronized void accept(InspectionResult result) {
    try {
      LocalDate today = LocalDate.now(clock);
      if (printer == null || ("daily".equals(rotate) && !today.equals(fileDay)) || fileBytes >= maxBytes) {
        open(today);
      }
      Detection d = result.detection();
      String row = CSVFormat.DEFAULT.format(
          result.completedAt(), result.sequence(), result.frameId(), result.sourceName(),
          orEmpty(result.detectorName()), d == null ? "ERROR" : d.decision().name(),
          d == null ? "" : number(d.rawScore()), d == null ? "" : number(d.normalizedScore()),
          Double.isNaN(result.threshold()) ? "" : number(result.threshold()),
          String.format(Locale.ROOT, "%.2f", result.processingTime().toNanos() / 1e6), orEmpty(result.error()));
      printer.getOut().append(row).append("\r\n");
      printer.flush();
      fileBytes += row.getBytes(StandardCharsets.UTF_8).length + 2;
      state = "writing " + file;
    } catch (IOException e) {
      state = "cannot write " + (file != null ? file : directory) + ": " + e.getMessage();
      closePrinter();
      throw new UncheckedIOException(state, e);
    }
  }

  @Override
  public synchronized String state() {
    return state;
  }

  /** The file being written, for tests and the state line. */
  synchronized Path file() {
    return file;
  }

  @Deactivate
  public synchronized void close() {
    closePrinter();
  }

  /** The day's file, or the next numbered one when it is full; a header only for a new file. */
  private void open(LocalDate today) throws IOException {
    closePrinter();
    Files.createDirectories(directory);
    String base = "daily".equals(rotate) ? prefix + "-" + today : prefix;
    Path candidate = directory.resolve(base + ".csv");
    for (int part = 1; Files.exists(candidate) && Files.size(candidate) >= maxBytes; part++) {
      candidate = directory.resolve(base + "-" + part + ".csv");
    }
    boolean fresh = !Files.exists(candidate) || Files.size(candidate) == 0;
    Writer writer = Files.newBufferedWriter(candidate, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
        StandardOpenOption.APPEND);
    printer = new CSVPrinter(writer, CSVFormat.DEFAULT);
    if (fresh) {
      printer.printRecord((Object[]) HEADER);
      printer.flush();
    }
    file = candidate;
    fileDay = today;
    fileBytes = Files.size(candidate);
    LOG.info("Result log: {}", candidate);
  }

  private void closePrinter() {
    if (printer != null) {
      try {
        printer.close();
      } catch (IOException e) {
        LOG.warn("Closing {} failed: {}", file, e.getMessage());
      }
      printer = null;
    }
  }

  private static String number(double value) {
    return String.format(Locale.ROOT, "%.6f", value);
  }

  private static String orEmpty(String value) {
    return value == null ? "" : value;
  }
}
