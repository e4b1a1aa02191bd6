package io.vigil.sink.archive.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Decision;
import io.vigil.api.detector.Detection;
import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NokArchiveTest {
  @TempDir Path temp;

  @Test
  void keepsNokPartsWithHeatmapAndSidecarAndSamplesOkOnes() throws Exception {
    NokArchive archive = new NokArchive(temp, 3, 1 << 30);
    for (int i = 1; i <= 6; i++) {
      archive.accept(result(i, i == 2 ? Decision.NOK : Decision.OK));
    }
    archive.accept(new InspectionResult(7, null, "bad.png", "line", null, null, "corrupt", Duration.ZERO,
        Instant.parse("2026-12-01T10:00:07Z")));
    List<Path> sidecars = files(".json");
    // NOK part 2, and of the OK parts 1, 3, 4, 5, 6 every 3rd: part 4; the error result has no image.
    assertEquals(2, sidecars.size(), sidecars.toString());
    String nok = Files.readString(sidecars.stream().filter(p -> p.toString().contains("-2-part-2")).findFirst().orElseThrow());
    assertTrue(nok.contains("\"decision\": \"NOK\""), nok);
    assertTrue(nok.contains("\"threshold\": 1.0"), nok);
    Path image = sidecars.get(0).resolveSibling(sidecars.get(0).getFileName().toString().replace(".json", ".png"));
    assertEquals(16, ImageFiles.read(image).width(), "the part's image, readable");
    assertTrue(Files.exists(sidecars.get(0).resolveSibling(
        sidecars.get(0).getFileName().toString().replace(".json", "-heatmap.png"))));
  }

  @Test
  void theOldestPartsGoWhenTheBudgetIsPassedAndARestartCountsWhatIsThere() throws Exception {
    NokArchive sizing = new NokArchive(temp.resolve("sizing"), 0, 1 << 30);
    sizing.accept(result(1, Decision.NOK));
    long onePart = sizing.totalBytes();

    Path directory = temp.resolve("archive");
    NokArchive archive = new NokArchive(directory, 0, onePart * 3 + onePart / 2);
    for (int i = 1; i <= 5; i++) {
      archive.accept(result(i, Decision.NOK));
    }
    List<String> kept = files(directory, ".json").stream().map(p -> p.getFileName().toString()).toList();
    assertEquals(3, kept.size(), kept.toString());
    assertFalse(kept.stream().anyMatch(name -> name.contains("-1-part-1") || name.contains("-2-part-2")),
        "the oldest removed first: " + kept);

    NokArchive restarted = new NokArchive(directory, 0, onePart * 3 + onePart / 2);
    assertEquals(archive.totalBytes(), restarted.totalBytes());
    restarted.accept(result(6, Decision.NOK));
    assertEquals(3, files(directory, ".json").size());
  }

  private List<Path> files(String suffix) throws Exception {
    return files(temp, suffix);
  }

  private static List<Path> files(Path directory, String suffix) throws Exception {
    try (Stream<Path> walk = Files.walk(directory)) {
      return walk.filter(p -> p.toString().endsWith(suffix)).sorted().toList();
    }
  }

  private static InspectionResult result(int sequence, Decision decision) {
    byte[] pixels = new byte[16 * 12];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7 + sequence);
    }
    float[] values = new float[16 * 12];
    values[5] = 2f;
    Frame frame = new Frame("part-" + sequence, Instant.now(), "line", Image.of8Bit(16, 12, 1, pixels));
    Detection detection = new Detection(new AnomalyMap(16, 12, values), decision == Decision.NOK ? 2 : 0.5, 1, decision);
    return new InspectionResult(sequence, frame, frame.id(), "line", "tiles", detection, null, Duration.ofMillis(20),
        Instant.parse("2026-12-01T10:00:00Z").plusSeconds(sequence), 1.0);
  }
}
