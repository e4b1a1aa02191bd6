package io.vigil.dataset.capture;

import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import java.io.BufferedWriter;
import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * {@code capture.csv} at the data set's root: one row per captured image, appended, so captures
 * on several days and from several sources add to one log.
 */
public final class CaptureLog implements Closeable {
  public static final String FILE = "capture.csv";
  static final String[] HEADER = {
      "file", "time", "source", "frame_id", "width", "height", "channels", "bit_depth", "settings", "metadata"};

  private final Path root;
  private final CSVPrinter printer;

  /** Opens (or starts) {@code root/capture.csv} for appending. */
  public CaptureLog(Path root) throws IOException {
    this.root = root;
    Path file = root.resolve(FILE);
    boolean fresh = !Files.exists(file) || Files.size(file) == 0;
    BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
        StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
    CSVFormat.Builder format = CSVFormat.DEFAULT.builder().setRecordSeparator("\n");
    if (fresh) {
      format.setHeader(HEADER);
    }
    this.printer = new CSVPrinter(writer, format.get());
  }

  /**
   * One row for {@code image} saved from {@code frame}.
   *
   * @param settings the source's settings as it publishes them (exposure, pixel format, trigger...)
   */
  public void record(Path image, String sourceName, Frame frame, Map<String, String> settings) throws IOException {
    Image pixels = frame.image();
    printer.printRecord(
        root.relativize(image).toString().replace('\\', '/'),
        frame.timestamp().toString(),
        sourceName,
        frame.id(),
        pixels.width(),
        pixels.height(),
        pixels.channels(),
        pixels.bitDepth(),
        pairs(settings),
        pairs(frame.metadata()));
    printer.flush(); // a row per image on disk, whatever stops the capture later
  }

  /** "key=value;key=value", sorted by key. */
  static String pairs(Map<String, String> values) {
    return new TreeMap<>(values).entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(";"));
  }

  @Override
  public void close() throws IOException {
    printer.close();
  }
}
