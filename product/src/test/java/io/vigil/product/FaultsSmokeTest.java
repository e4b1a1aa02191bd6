package io.vigil.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17's faults for {@code ./vigil train} and {@code ./vigil eval}, run as a user runs them with
 * the fixture detector bundle in deploy/ (it trains and scores as the real ones write and read,
 * through the same model and report directories, in a fraction of the time):
 *
 * <ul>
 *   <li>a full disk (a small tmpfs mounted here; CI runs as root): a clear error naming the place
 *       and the free space, no model or report and no hidden partial left, the previous one untouched;
 *   <li>a power cut ({@code kill -9} once the partial directory exists on disk): nothing a later
 *       run takes for complete; pointed at the partial, score and eval refuse it by name; the next
 *       run removes it.
 * </ul>
 * Every wait is for a condition, bounded only to end a failing test.
 */
class FaultsSmokeTest {
  private static final Path JAR = Path.of(System.getProperty("vigil.jar", "target/vigil.jar"));
  private static final Path FIXTURE = Path.of(System.getProperty("vigil.eval.fixture", "target/fixtures/evalfixture.jar"));
  private static final long WAIT_SECONDS = 120;
  private static final int IMAGES_PER_CLASS = 10;

  @TempDir Path work;
  private final List<Path> mounts = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  @BeforeEach
  void prepare() throws IOException {
    assertTrue(Files.isRegularFile(FIXTURE), "fixture bundle missing: " + FIXTURE);
    Files.createDirectories(work.resolve("deploy"));
    Files.copy(FIXTURE, work.resolve("deploy/evalfixture.jar"));
    Path data = work.resolve("data");
    Files.createDirectories(data);
    Files.writeString(data.resolve("fixture-dataset"), "");
    for (int i = 0; i < IMAGES_PER_CLASS; i++) {
      String name = String.format("%03d", i);
      writeGrey(data.resolve("train/good/" + name + ".png"), 0, false);
      writeGrey(data.resolve("test/good/" + name + ".png"), 0, false);
      writeGrey(data.resolve("test/crack/" + name + ".png"), 120 + 10 * i, false);
      writeGrey(data.resolve("ground_truth/crack/" + name + "_mask.png"), 255, true);
    }
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (Process process : processes) {
      process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    }
    for (Path mount : mounts) {
      run(List.of("umount", mount.toString()));
    }
  }

  @Test
  void aFullDiskWhileTrainingLeavesNoModelAndThePreviousOneUntouched() throws Exception {
    Path disk = mountTmpfs("disk", "512k");
    Run previous = vigil("train", "--algorithm", "slow-brightness", "--data", "data", "--model", "disk/previous",
        "--set", "weights.kb=64");
    assertEquals(0, previous.status, previous.all());
    Map<String, String> before = digests(disk.resolve("previous"));

    Run full = vigil("train", "--algorithm", "slow-brightness", "--data", "data", "--model", "disk/model",
        "--set", "weights.kb=2048");
    assertEquals(1, full.status, full.all());
    String error = full.err.lines().filter(l -> l.startsWith("vigil train:")).findFirst().orElse(full.all());
    assertTrue(error.contains("cannot write the model to " + disk.resolve("model")) && error.contains("No space left on device")
        && error.contains("free on the file system of " + disk) && error.contains("the unfinished model was removed"), error);
    assertFalse(full.err.contains("\tat "), "a stack trace on the console:\n" + full.err);
    assertEquals(List.of("previous"), list(disk), "no model and no hidden partial directory may remain");
    assertEquals(before, digests(disk.resolve("previous")), "the previous model changed");
  }

  @Test
  void aFullDiskWhileEvaluatingLeavesThePreviousReportUntouchedAndNothingElse() throws Exception {
    model("fast-model", 0);
    Run reference = vigil("eval", "--model", "fast-model", "--data", "data", "--out", "reference");
    assertEquals(0, reference.status, reference.all());
    long reportBytes = bytes(work.resolve("reference"));
    // Room for the previous report and about half a new one: the --overwrite run fills the disk half way.
    long kib = (reportBytes + reportBytes / 2) / 1024 + 64;
    Path disk = mountTmpfs("disk", kib + "k");
    run(List.of("cp", "-r", work.resolve("reference").toString(), disk.resolve("report").toString()));
    Map<String, String> before = digests(disk.resolve("report"));

    Run full = vigil("eval", "--model", "fast-model", "--data", "data", "--out", "disk/report", "--overwrite");
    assertEquals(1, full.status, full.all());
    String error = full.err.lines().filter(l -> l.startsWith("vigil eval:")).findFirst().orElse(full.all());
    assertTrue(error.contains("writing the report " + disk.resolve("report") + " failed") && error.contains("No space left on device")
        && error.contains("free on the file system of " + disk) && error.contains("the report that was there is unchanged"), error);
    assertFalse(full.err.contains("\tat "), "a stack trace on the console:\n" + full.err);
    assertEquals(List.of("report"), list(disk), "no hidden working directory may remain");
    assertEquals(before, digests(disk.resolve("report")), "the previous report changed");
  }

  @Test
  void trainingKilledWhileWritingLeavesNoModelAndTheNextTrainingCleansUp() throws Exception {
    Path models = Files.createDirectories(work.resolve("models"));
    Process training = start("train", "--algorithm", "slow-brightness", "--data", "data", "--model", "models/tiles",
        "--set", "weights.kb=8192", "--set", "write.delay.ms=20");
    // The power goes once the model is half on disk: its weights file exists and has grown.
    await(() -> partials(models, "tiles").stream().anyMatch(p -> size(p.resolve("weights.bin")) > 0), training,
        "a partial model on disk");
    training.destroyForcibly(); // SIGKILL: no shutdown hook, no cleanup
    assertTrue(training.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
    List<Path> left = partials(models, "tiles");
    assertEquals(1, left.size(), "the hidden partial is all a power cut leaves: " + list(models));
    assertFalse(Files.exists(models.resolve("tiles")), "a model directory after a power cut");

    Run score = vigil("score", "--model", "models/" + left.get(0).getFileName(), "data/test/good/000.png");
    assertEquals(1, score.status, score.all());
    assertTrue(score.err.contains("is an unfinished model"), score.all());
    Run missing = vigil("score", "--model", "models/tiles", "data/test/good/000.png");
    assertEquals(1, missing.status, missing.all());
    assertTrue(missing.err.contains("models/tiles does not exist"), missing.all());

    Run again = vigil("train", "--algorithm", "slow-brightness", "--data", "data", "--model", "models/tiles");
    assertEquals(0, again.status, again.all());
    assertEquals(List.of("tiles"), list(models), "the next training removes what the killed one left");
  }

  @Test
  void evaluationKilledWhileWritingLeavesNoReportAndTheNextRunCleansUp() throws Exception {
    model("slow-model", 300);
    Process evaluation = start("eval", "--model", "slow-model", "--data", "data", "--out", "report");
    // Killed once the first image's map is on disk (crack/000 comes first; 20 images at 300 ms each).
    await(() -> partials(work, "report").stream().anyMatch(p -> size(p.resolve("maps/crack/000.tiff")) > 0),
        evaluation, "a partial report with a map on disk");
    evaluation.destroyForcibly();
    assertTrue(evaluation.waitFor(WAIT_SECONDS, TimeUnit.SECONDS));
    assertFalse(Files.exists(work.resolve("report")), "a report directory after a power cut");
    assertEquals(1, partials(work, "report").size(), list(work).toString());

    model("fast-model", 0);
    Run again = vigil("eval", "--model", "fast-model", "--data", "data", "--out", "report");
    assertEquals(0, again.status, again.all());
    assertEquals(List.of(), partials(work, "report"), "the next run removes what the killed one left");
    assertEquals(1 + 2 * IMAGES_PER_CLASS, Files.readAllLines(work.resolve("report/images.csv")).size());
  }

  private Path mountTmpfs(String name, String size) throws Exception {
    Path mount = Files.createDirectories(work.resolve(name));
    Run mounted = run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size, "tmpfs", mount.toString()));
    if (mounted.status != 0) {
      fail("this test fills a small tmpfs and needs to mount one (CI runs as root): `mount -t tmpfs` said "
          + mounted.all().strip());
    }
    mounts.add(mount);
    return mount;
  }

  private void model(String name, int delayMillis) throws IOException {
    Path model = Files.createDirectories(work.resolve(name));
    Files.writeString(model.resolve("slow-brightness.properties"), "delay.ms=" + delayMillis + "\n");
  }

  private static List<Path> partials(Path parent, String name) {
    try (Stream<Path> entries = Files.list(parent)) {
      return entries.filter(p -> p.getFileName().toString().startsWith("." + name + ".partial-")).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0;
    }
  }

  private static void await(BooleanSupplier condition, Process process, String what) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    while (!condition.getAsBoolean()) {
      assertTrue(process.isAlive(), "the process ended before " + what);
      assertTrue(System.nanoTime() < deadline, "no " + what + " within " + WAIT_SECONDS + " s");
      Thread.sleep(10);
    }
  }

  /** 32x24 grey at 40 with a 6x4 blob of {@code blob} (none when 0); masks are 255 in the blob, 0 around. */
  private static void writeGrey(Path file, int blob, boolean mask) throws IOException {
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 24; y++) {
      for (int x = 0; x < 32; x++) {
        boolean inBlob = blob > 0 && x >= 8 && x < 14 && y >= 8 && y < 12;
        image.getRaster().setSample(x, y, 0, inBlob ? blob : mask ? 0 : 40);
      }
    }
    Files.createDirectories(file.getParent());
    ImageIO.write(image, "png", file.toFile());
  }

  private static Map<String, String> digests(Path root) throws Exception {
    Map<String, String> digests = new TreeMap<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        digests.put(root.relativize(file).toString(),
            HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file))));
      }
    }
    return digests;
  }

  private static long bytes(Path root) throws IOException {
    try (Stream<Path> files = Files.walk(root)) {
      long total = 0;
      for (Path file : files.filter(Files::isRegularFile).toList()) {
        total += (Files.size(file) + 4095) / 4096 * 4096; // tmpfs counts whole pages
      }
      return total;
    }
  }

  private static List<String> list(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private record Run(int status, String out, String err) {
    String all() {
      return "exit " + status + "\nstdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private Process start(String... args) throws IOException {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(work.toFile())
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    process.getOutputStream().close();
    processes.add(process);
    return process;
  }

  private Run vigil(String... args) throws Exception {
    List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    return run(command);
  }

  private Run run(List<String> command) throws Exception {
    Path out = Files.createTempFile(work, "out", ".txt");
    Path err = Files.createTempFile(work, "err", ".txt");
    try {
      Process process = new ProcessBuilder(command).directory(work.toFile())
          .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      process.getOutputStream().close();
      processes.add(process);
      assertTrue(process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS), "did not end: " + command);
      return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    } finally {
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
