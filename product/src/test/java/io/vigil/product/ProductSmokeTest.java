package io.vigil.product;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the exported station jar as a user would: java -jar vigil.jar ARGS. */
class ProductSmokeTest {
  private static final Path JAR = Path.of(System.getProperty("vigil.jar", "target/vigil.jar"));

  @TempDir Path workingDirectory;

  @Test
  void shellListsEveryVigilBundleAsActiveAndExitsAtEndOfInput() throws Exception {
    Run run = vigil("lb\nvigil:status\n", "shell");
    assertEquals(0, run.status, run.all());
    Matcher bundle = Pattern.compile("\\|(\\w+)\\s*\\|\\s*\\d+\\|Vigil (API|inspection station|shell|metrics|CSV report) ").matcher(run.out);
    List<String> states = new ArrayList<>();
    while (bundle.find()) {
      states.add(bundle.group(2) + "=" + bundle.group(1));
    }
    states.sort(null);
    assertEquals(List.of("API=Active", "CSV report=Active", "inspection station=Active", "metrics=Active", "shell=Active"),
        states, run.out);
    assertTrue(run.out.contains("state WAITING_FOR_SOURCE"), run.out);
  }

  @Test
  void helpListsTheCommands() throws Exception {
    Run run = vigil("", "--help");
    assertEquals(0, run.status, run.all());
    assertTrue(run.out.contains("shell "), run.out);
    assertTrue(run.out.contains("station "), run.out);
    assertTrue(run.out.contains("eval "), run.out);
  }

  @Test
  void evalIsAvailableAndNamesAMissingModelDirectory() throws Exception {
    Run help = vigil("", "eval", "--help");
    assertEquals(0, help.status, help.all());
    assertTrue(help.out.contains("Usage: ./vigil eval --model DIR --data DIR --out OUT"), help.out);
    Files.createDirectories(workingDirectory.resolve("data"));
    Run run = vigil("", "eval", "--model", "no-such-model", "--data", "data", "--out", "report");
    assertEquals(1, run.status, run.all());
    assertTrue(run.err.contains("model directory") && run.err.contains("no-such-model") && run.err.contains("does not exist"),
        run.err);
    assertTrue(!Files.exists(workingDirectory.resolve("report")), "no report for a failed run");
  }

  @Test
  void anUnknownCommandIsAUsageErrorWithAHint() throws Exception {
    Run run = vigil("", "no-such-verb");
    assertEquals(2, run.status, run.all());
    assertTrue(run.err.contains("unknown command 'no-such-verb'"), run.err);
  }

  @Test
  void aConfigFileInDeployReachesTheStationThroughFileInstall() throws Exception {
    Files.createDirectories(workingDirectory.resolve("deploy"));
    Files.writeString(workingDirectory.resolve("deploy/io.vigil.inspection.station.config"),
        "detector.target=\"(vigil.detector.name=line-7)\"\n");
    // File Install reads deploy/ as it starts, asynchronously: ask again if the shell was faster.
    Run run = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      run = vigil("scr:info io.vigil.inspection.station\n", "shell");
      assertEquals(0, run.status, run.all());
      if (run.out.contains("detector.target<String> = (vigil.detector.name=line-7)")) {
        return;
      }
    }
    throw new AssertionError("deploy/io.vigil.inspection.station.config never reached the station:\n" + run.all());
  }

  @Test
  void datasetCountsTheMagneticTilesFromTheSharedFolder() throws Exception {
    Path tiles = Path.of(System.getProperty("vigil.shared.dir", "../../shared"), "datasets", "magnetic_tile")
        .toAbsolutePath().normalize();
    assertTrue(Files.isDirectory(tiles), "the shared magnetic_tile data set is missing at " + tiles);
    Run run = vigil("", "dataset", tiles.toString());
    assertEquals(0, run.status, run.all());
    assertTrue(run.out.contains(": mvtec-ad"), run.out);
    assertTrue(run.out.contains("train: 761 images, 761 good"), run.out);
    assertTrue(run.out.contains("test: 579 images, 191 good, 388 defective"), run.out);
  }

  @Test
  void camerasLoadsAravisInsideTheStation() throws Exception {
    // No camera is needed: the listing proves JNA and libaravis load inside Felix.
    Run run = vigil("", "cameras");
    assertEquals(0, run.status, run.all());
    assertTrue(run.out.contains("No camera found") || run.out.contains("ADDRESS"), run.out);
  }

  /**
   * One short run of the backbone benchmark: the figures are the machine's, so only their shape
   * is checked: a product rate, the operations counted from MobileNetV2's layers, and the final
   * line whose fraction is the achieved rate over the product rate.
   */
  @Test
  void benchmarkEndsWithTheLineScriptsRead() throws Exception {
    Path models = Path.of(System.getProperty("vigil.shared.dir", "../../shared"), "models").toAbsolutePath();
    assertTrue(Files.isRegularFile(models.resolve("mobilenet_v2_1.0_224_ptq.tflite")),
        "the shared MobileNetV2 weights are missing in " + models);
    Run run = vigil(Map.of("VIGIL_MODEL_PATH", models.toString()), "", "benchmark", "--runs", "1", "--warmup", "0",
        "--batch", "2");
    assertEquals(0, run.status, run.all());
    assertTrue(run.out.contains("GFLOP per image (backbone 0.451 + head 0.000)"), run.out);
    Matcher line = Pattern.compile("(?m)^benchmark: images_per_second=([0-9.]+) ms_per_image=([0-9.]+)"
        + " model_gflop=0.451 achieved_gflops=([0-9.]+) gemm_gflops=([0-9.]+) fraction=([0-9.]+)$").matcher(run.out);
    assertTrue(line.find(), run.out);
    double imagesPerSecond = Double.parseDouble(line.group(1));
    assertEquals(1000 / Double.parseDouble(line.group(2)), imagesPerSecond, 0.01 * imagesPerSecond, run.out);
    double achieved = Double.parseDouble(line.group(3));
    assertEquals(achieved / Double.parseDouble(line.group(4)), Double.parseDouble(line.group(5)), 0.002, run.out);
  }

  @Test
  void helpListsTheUiCommands() throws Exception {
    Run run = vigil("", "--help");
    assertEquals(0, run.status, run.all());
    for (String verb : List.of("ui ", "demo ", "generate-dataset ")) {
      assertTrue(run.out.contains("  " + verb), verb + " missing:\n" + run.out);
    }
  }

  @Test
  void everyCommandAnswersHelpWithItsUsage() throws Exception {
    // As ./vigil does: with deploy/ there, File Install prints nothing on standard output.
    Files.createDirectories(workingDirectory.resolve("deploy"));
    Run list = vigil("", "--help");
    assertEquals(0, list.status, list.all());
    List<String> verbs = Pattern.compile("(?m)^  ([a-z][a-z-]*) ").matcher(list.out).results().map(m -> m.group(1)).toList();
    assertTrue(verbs.containsAll(List.of("benchmark", "benchmark-backbone", "benchmark-detector", "cameras", "classify",
        "completion", "dataset", "demo", "eval", "generate-dataset", "help", "score", "shell", "station", "train", "ui")),
        verbs + " from\n" + list.out);
    for (String verb : verbs) {
      Run help = vigil("", verb, "--help");
      assertEquals(0, help.status, verb + " --help: " + help.all());
      // picocli's own help command puts a header line above its usage.
      assertTrue(Pattern.compile("(?m)^Usage: \\./vigil " + verb + "( |$)").matcher(help.out).find(),
          verb + " --help: " + help.out);
      assertTrue(help.out.indexOf("Usage:") < 80, verb + " --help starts with its usage: " + help.out);
    }
  }

  @Test
  void aMistypedCommandOrOptionIsNamedAndTheRightOneSuggested() throws Exception {
    Run verb = vigil("", "trian", "--data", "tiles");
    assertEquals(2, verb.status, verb.all());
    assertTrue(verb.err.contains("unknown command 'trian'") && verb.err.contains("Did you mean 'train'?"), verb.err);
    Run option = vigil("", "station", "--cuont", "3");
    assertEquals(2, option.status, option.all());
    assertTrue(option.err.contains("'--cuont'") && option.err.contains("Did you mean '--count'?"), option.err);
    assertTrue(option.err.contains("Usage: ./vigil station"), option.err);
  }

  @Test
  void theCompletionScriptRegistersVigilInBash() throws Exception {
    Files.createDirectories(workingDirectory.resolve("deploy")); // as ./vigil does: nothing else on standard output
    Run run = vigil("", "completion");
    assertEquals(0, run.status, run.all());
    Path script = Files.writeString(workingDirectory.resolve("vigil-completion.bash"), run.out);
    Process bash = new ProcessBuilder("bash", "-c", "source " + script + " && complete -p vigil")
        .redirectErrorStream(true).start();
    String listed = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(bash.waitFor(60, TimeUnit.SECONDS), "bash did not finish");
    assertEquals(0, bash.exitValue(), listed);
    assertTrue(listed.startsWith("complete ") && listed.strip().endsWith(" vigil"), listed);
  }

  @Test
  void generateDatasetWritesTheSyntheticDataSetThatTheDatasetCommandReads() throws Exception {
    Run run = vigil("", "generate-dataset", "surfaces", "--size", "64", "--train", "5", "--test-good", "2",
        "--test-defects", "1");
    assertEquals(0, run.status, run.all());
    assertTrue(run.out.contains("Generated 10 images in " + workingDirectory.resolve("surfaces")), run.out);
    Run counted = vigil("", "dataset", "surfaces");
    assertEquals(0, counted.status, counted.all());
    assertTrue(counted.out.contains("train: 5 images, 5 good"), counted.out);
    assertTrue(counted.out.contains("test: 5 images, 2 good, 3 defective"), counted.out);
  }

  @Test
  void uiOpensTheWindowAndSavesAScreenshot() throws Exception {
    // Needs a display: the README's test command runs the build under xvfb-run.
    assertTrue(System.getenv("DISPLAY") != null, "no DISPLAY: run the tests under a display, e.g. xvfb-run -a ./mvnw -B verify");
    Run run = vigil("", "ui", "--screenshot", "window.png", "--after", "0", "--timeout", "30");
    assertEquals(0, run.status, run.all());
    Path shot = workingDirectory.resolve("window.png");
    assertTrue(run.out.contains("Screenshot saved: " + shot), run.out);
    assertTrue(Files.size(shot) > 10_000, "a real window, not an empty image: " + Files.size(shot) + " bytes");
  }

  @Test
  void uiWithoutADisplaySaysHowToGetOne() throws Exception {
    Run run = vigil(Map.of("DISPLAY", ""), "", "ui");
    assertEquals(1, run.status, run.all());
    assertTrue(run.err.contains("cannot open a display"), run.err);
    assertTrue(run.err.contains("xvfb-run -a"), run.err);
  }

  private record Run(int status, String out, String err) {
    String all() {
      return "stdout:\n" + out + "\nstderr:\n" + err;
    }
  }

  private Run vigil(String input, String... args) throws IOException, InterruptedException {
    return vigil(Map.of(), input, args);
  }

  /** Runs the station jar; an empty value in {@code environment} removes that variable. */
  private Run vigil(Map<String, String> environment, String input, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(javaExecutable(), "-jar", JAR.toAbsolutePath().toString()));
    command.addAll(List.of(args));
    Path out = workingDirectory.resolve("out.txt");
    Path err = workingDirectory.resolve("err.txt");
    ProcessBuilder builder = new ProcessBuilder(command)
        .directory(workingDirectory.toFile())
        .redirectOutput(out.toFile())
        .redirectError(err.toFile());
    environment.forEach((name, value) -> {
      if (value.isEmpty()) {
        builder.environment().remove(name);
      } else {
        builder.environment().put(name, value);
      }
    });
    Process process = builder.start();
    process.getOutputStream().write(input.getBytes(StandardCharsets.UTF_8));
    process.getOutputStream().close();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("vigil " + String.join(" ", args) + " did not finish in 60 s");
    }
    return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String javaExecutable() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
