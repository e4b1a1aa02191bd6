package io.vigil.soak.internal;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/** The soak's samples: appended to {@code soak.csv} as they come (a run cut short keeps its rows). */
final class SoakLog implements AutoCloseable {
  static final String[] HEADER = {"elapsed_s", "results", "frames_per_second", "heap_mb", "heap_committed_mb",
      "rss_mb", "live_arrays",
      "threads", "detector_swaps", "source_swaps", "errors"};

  private final List<Sample> samples = new ArrayList<>();
  private final CSVPrinter csv;

  SoakLog(Path file) throws IOException {
    Writer writer = Files.newBufferedWriter(file);
    csv = new CSVPrinter(writer, CSVFormat.DEFAULT.builder().setHeader(HEADER).get());
  }

  void add(Sample sample) throws IOException {
    samples.add(sample);
    csv.printRecord(format(sample.elapsedSeconds(), 1), sample.results(), format(sample.framesPerSecond(), 1),
        format(sample.heapMegabytes(), 1), format(sample.heapCommittedMegabytes(), 1),
        format(sample.residentMegabytes(), 1), sample.liveArrays(),
        sample.threads(), sample.detectorSwaps(), sample.sourceSwaps(), sample.errors());
    csv.flush();
  }

  List<Sample> samples() {
    return List.copyOf(samples);
  }

  private static String format(double value, int decimals) {
    return String.format(Locale.ROOT, "%." + decimals + "f", value);
  }

  @Override
  public void close() throws IOException {
    csv.close();
  }
}
