package io.vigil.sink.archive.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.sink.common.ResultJson;
import io.vigil.image.Heatmaps;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps each NOK part (and every Nth OK one) as DAY/TIME-SEQ-FRAME.png, its heatmap
 * (-heatmap.png: blue at the map's lowest value, red at the decision threshold) and a .json sidecar
 * with the result; when the archive passes its budget the oldest parts go first. Error results
 * have no map and are not archived (the result log has them).
 */
@Component(name = "io.vigil.sink.archive", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = ArchiveConfiguration.class, factory = true)
public class NokArchive implements ResultSink {
  private static final Logger LOG = LoggerFactory.getLogger(NokArchive.class);
  private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy-MM-dd").withZone(ZoneId.systemDefault());
  private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss-SSS").withZone(ZoneId.systemDefault());

  private final Path directory;
  private final int okEvery;
  private final long budgetBytes;
  /** Archived parts, oldest first: the files of each and their size. */
  private final Deque<Part> parts = new ArrayDeque<>();
  private long totalBytes;
  private long okSeen;
  private String state = "nothing archived yet";

  private record Part(List<Path> files, long bytes) {}

  @Activate
  public NokArchive(ArchiveConfiguration configuration) {
    this(Path.of(configuration.directory()), configuration.ok_every(), configuration.max_megabytes() * 1024L * 1024L);
  }

  NokArchive(Path directory, int okEvery, long budgetBytes) {
    this.directory = directory;
    this.okEvery = Math.max(0, okEvery);
    this.budgetBytes = Math.max(1, budgetBytes);
    loadExisting();
  }

  @Override
  public synchronized void accept(InspectionResult result) {
    Detection detection = result.detection();
    if (detection == null || result.frame() == null) {
      return;
    }
    if (detection.decision() != Decision.NOK) {
      okSeen++;
      if (okEvery == 0 || okSeen % okEvery != 0) {
        return;
      }
    }
    try {
      Path day = Files.createDirectories(directory.resolve(DAY.format(result.completedAt())));
      String base = TIME.format(result.completedAt()) + "-" + result.sequence() + "-" + safe(result.frameId());
      Path image = day.resolve(base + ".png");
      Path heatmap = day.resolve(base + "-heatmap.png");
      Path sidecar = day.resolve(base + ".json");
      ImageFiles.writePng(result.frame().image(), image);
      AnomalyMap map = detection.map();
      double low = map.min();
      double high = Double.isNaN(result.threshold()) ? map.max() : Math.max(result.threshold(), low + 1e-6);
      ImageFiles.writePng(Heatmaps.overlay(result.frame().image(), map, low, high, Heatmaps.DEFAULT_OPACITY), heatmap);
      Files.writeString(sidecar, ResultJson.pretty(result), StandardCharsets.UTF_8);
      List<Path> files = List.of(image, heatmap, sidecar);
      long bytes = 0;
      for (Path file : files) {
        bytes += Files.size(file);
      }
      parts.addLast(new Part(files, bytes));
      totalBytes += bytes;
      enforceBudget();
      state = String.format("%d parts, %.1f MB of %.0f MB", parts.size(), totalBytes / 1e6, budgetBytes / 1e6);
    } catch (IOException e) {
      state = "cannot write to " + directory + ": " + e.getMessage();
      throw new UncheckedIOException(state, e);
    }
  }

  @Override
  public synchronized String state() {
    return state;
  }

  synchronized long totalBytes() {
    return totalBytes;
  }

  private void enforceBudget() throws IOException {
    while (totalBytes > budgetBytes && parts.size() > 1) {
      Part oldest = parts.removeFirst();
      for (Path file : oldest.files()) {
        Files.deleteIfExists(file);
      }
      totalBytes -= oldest.bytes();
    }
  }

  /** A restarted station keeps counting the parts already archived against the budget. */
  private void loadExisting() {
    if (!Files.isDirectory(directory)) {
      return;
    }
    try (Stream<Path> walk = Files.walk(directory, 2)) {
      List<Path> sidecars = new ArrayList<>(walk.filter(p -> p.toString().endsWith(".json")).sorted().toList());
      for (Path sidecar : sidecars) {
        String base = sidecar.getFileName().toString().replaceFirst("\\.json$", "");
        List<Path> files = List.of(sidecar.resolveSibling(base + ".png"), sidecar.resolveSibling(base + "-heatmap.png"),
            sidecar);
        long bytes = 0;
        for (Path file : files) {
          bytes += Files.exists(file) ? Files.size(file) : 0;
        }
        parts.addLast(new Part(files, bytes));
        totalBytes += bytes;
      }
    } catch (IOException e) {
      LOG.warn("Cannot read the existing archive in {}: {}", directory, e.getMessage());
    }
  }

  /** Frame ids may be paths: keep letters, digits, dot, dash and underscore. */
  static String safe(String id) {
    String cleaned = id.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.length() > 80 ? cleaned.substring(cleaned.length() - 80) : cleaned;
  }
}
