package io.vigil.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ./vigil eval as a user runs it, with a fixture detector bundle dropped into deploy/: stopped
 * half way (SIGTERM, which runs the same shutdown as Ctrl-C) it leaves no report and no working
 * directory; run to the end it leaves the whole report.
 */
class EvalCommandSmokeTest {
  private static final Path JAR = Path.of(System.getProperty("vigil.jar", "target/vigil.jar"));
  private static final Path FIXTURE = Path.of(System.getProperty("vigil.eval.fixture", "target/fixtures/evalfixture.jar"));
  private static final int IMAGES_PER_CLASS = 10;

  @TempDir Path workingDirectory;

  @BeforeEach
  void prepare() throws IOException {
    assertTrue(Files.isRegularFile(FIXTURE), "fixture bundle missing: " + FIXTURE);
    Files.createDirectories(workingDirectory.resolve("deploy"));
    Files.copy(FIXTURE, workingDirectory.resolve("deploy/evalfixture.jar"));
    Path data = workingDirectory.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("fixture-dataset"), "");
    for (int i = 0; i < IMAGES_PER_CLASS; i++) {
      String name = String.format("%03d", i);
      writeGrey(data.resolve("test/good/" + name + ".png"), false, 40);
      writeGrey(data.resolve("test/crack/" + name + ".png"), true, 120 + 10 * i);
      writeGrey(data.resolve("ground_truth/crack/" + name + "_mask.png"), true, 255);
    }
  }

  @Test
  void stoppedHalfWayItLeavesNothingAndRunToTheEndItLeavesEverything() throws Exception {
    model("slow-model", 300);
    Path err = workingDirectory.resolve("err.txt");
    Process process = start(err, "eval", "--model", "slow-model", "--data", "data", "--out", "report");
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    // Non-interactive progress prints a line per tenth: wait for "4/20" (a fifth done).
    while (!Files.readString(err).contains(" 4/20 ")) {
      assertTrue(process.isAlive(), "eval ended early:\n" + Files.readString(err));
      assertTrue(System.nanoTime() < deadline, "no progress in 60 s:\n" + Files.readString(err));
      Thread.sleep(50);
    }
    process.destroy(); // SIGTERM: the JVM's shutdown hooks stop the framework, as on Ctrl-C
    assertTrue(process.waitFor(30, TimeUnit.SECONDS), "eval did not stop");
    assertEquals(List.of("data", "deploy", "err.txt", "out.txt", "slow-model"), list(workingDirectory),
        "neither report/ nor its working directory may remain:\n" + Files.readString(err));

    model("fast-model", 0);
    Process complete = start(err, "eval", "--model", "fast-model", "--data", "data", "--out", "report");
    assertTrue(complete.waitFor(60, TimeUnit.SECONDS), "eval did not finish");
    assertEquals(0, complete.exitValue(), Files.readString(err));
    Path report = workingDirectory.resolve("report");
    List<String> summary = Files.readAllLines(report.resolve("summary.csv"));
    assertEquals("metric,value", summary.get(0));
    // Crack images score 120..210 (/255), good ones 40: perfectly separated.
    assertTrue(summary.contains("image_auroc,1"), summary.toString());
    assertEquals(1 + 2 * IMAGES_PER_CLASS, Files.readAllLines(report.resolve("images.csv")).size());
    for (String file : List.of("roc.png", "defects.png", "maps/crack/000.tiff", "maps/good/009.tiff",
        "heatmaps/crack/005.png")) {
      assertTrue(Files.size(report.resolve(file)) > 0, file);
    }
    assertEquals(List.of("data", "deploy", "err.txt", "fast-model", "out.txt", "report", "slow-model"),
        list(workingDirectory));
  }

  private void model(String name, int delayMillis) throws IOException {
    Path model = Files.createDirectories(workingDirectory.resolve(name));
    Files.writeString(model.resolve("slow-brightness.properties"), "delay.ms=" + delayMillis + "\n");
  }

  /** 32x24 grey: background 40, a 6x4 blob of {@code blob} at (8, 8) on defect images (255 on masks, 0 around). */
  private static void writeGrey(Path file, boolean withBlob, int blob) throws IOException {
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
    boolean mask = blob == 255 && file.getFileName().toString().endsWith("_mask.png");
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        boolean inBlob = withBlob && x >= 8 && x < 14 && y >= 8 && y < 12;
        image.getRaster().setSample(x, y, 0, inBlob ? blob : mask ? 0 : 40);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(image, "png", file.toFile());
  }

  private Process start(Path err, String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Files.deleteIfExists(err);
    Files.createFile(err);
    Process process = new ProcessBuilder(command)
        .directory(workingDirectory.toFile())
        .redirectOutput(workingDirectory.resolve("out.txt").toFile())
        .redirectError(err.toFile())
        .start();
    process.getOutputStream().close();
    return process;
  }

  private static List<String> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }
}
