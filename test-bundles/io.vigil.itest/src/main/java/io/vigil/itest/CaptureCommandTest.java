package io.vigil.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.command.Command;
import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.ServiceReference;

/** {@code ./vigil capture} from Aravis's simulated GigE Vision camera into a new data set, counted by {@code ./vigil dataset}. */
class CaptureCommandTest {
  private static final String SOURCE = "itest-capture-camera";
  private final OsgiSupport osgi = new OsgiSupport();
  private final ExecutorService runner = Executors.newSingleThreadExecutor(r -> new Thread(r, "itest-capture-command"));
  private FakeCamera camera;
  private Path work;

  @BeforeEach
  void startCamera() throws Exception {
    camera = new FakeCamera("VIGILCAP" + ProcessHandle.current().pid());
    camera.start();
    work = Files.createTempDirectory("vigil-capture-itest");
    osgi.pinStationSource("itest-nothing"); // the station leaves the camera to the capture
  }

  @AfterEach
  void cleanUp() throws Exception {
    runner.shutdownNow();
    osgi.cleanUp();
    camera.close();
    deleteTree(work);
  }

  @Test
  void twentyFramesFromTheSimulatedCameraIntoANewDataSetThenFiveMoreNumberedOn() throws Exception {
    osgi.createFactoryConfiguration("io.vigil.source.camera", Map.of(
        "vigil.source.name", SOURCE, "device.id", camera.deviceId(), "pixel.format", "Mono8",
        "stream.timeout.ms", 2000L, "reconnect.initial.ms", 200L, "reconnect.max.ms", 1000L));
    osgi.awaitSource(SOURCE);

    Run first = run("capture", "--source", SOURCE, "--out", "tiles", "--as", "train/good", "--count", "20");
    assertEquals(0, first.status, first.errors());
    Path root = work.resolve("tiles");
    List<Path> images = images(root.resolve("train/good"));
    assertEquals(20, images.size(), first.printed());
    assertEquals(root.resolve("train/good/000.png"), images.get(0));
    assertEquals(root.resolve("train/good/019.png"), images.get(19));
    Image image = ImageFiles.read(images.get(0));
    assertEquals(512, image.width(), "the camera's full frame, as captured");
    assertEquals(1, image.channels());
    assertEquals(8, image.bitDepth());

    List<CSVRecord> rows = log(root);
    assertEquals(20, rows.size());
    Set<String> cameraFrames = new HashSet<>();
    for (CSVRecord row : rows) {
      assertEquals(SOURCE, row.get("source"));
      assertTrue(row.get("settings").contains("pixel.format=Mono8"), row.get("settings"));
      assertTrue(cameraFrames.add(metadata(row).get("camera.frame.id")), "distinct camera frames: " + row);
    }

    Run dataset = run("dataset", "tiles");
    assertEquals(0, dataset.status, dataset.errors());
    assertTrue(dataset.printed().contains("mvtec-ad"), dataset.printed());
    assertTrue(dataset.printed().contains("train: 20 images, 20 good"), dataset.printed());

    Run second = run("capture", "--source", SOURCE, "--out", "tiles", "--as", "train/good", "--count", "5");
    assertEquals(0, second.status, second.errors());
    images = images(root.resolve("train/good"));
    assertEquals(25, images.size());
    assertEquals(root.resolve("train/good/024.png"), images.get(24));
    assertEquals(25, log(root).size(), "the second capture appends to capture.csv");
    assertTrue(run("dataset", "tiles").printed().contains("train: 25 images, 25 good"));
  }

  @Test
  void sixteenBitFramesStaySixteenBit() throws Exception {
    osgi.createFactoryConfiguration("io.vigil.source.camera", Map.of(
        "vigil.source.name", SOURCE, "device.id", camera.deviceId(), "pixel.format", "Mono16",
        "region.width", 128, "region.height", 64,
        "stream.timeout.ms", 2000L, "reconnect.initial.ms", 200L, "reconnect.max.ms", 1000L));
    osgi.awaitSource(SOURCE);
    Run capture = run("capture", "--source", SOURCE, "--out", "deep", "--as", "test/good", "--count", "2");
    assertEquals(0, capture.status, capture.errors());
    List<Path> images = images(work.resolve("deep/test/good"));
    assertEquals(2, images.size());
    Image image = ImageFiles.read(images.get(1));
    assertEquals(16, image.bitDepth());
    assertEquals(128, image.width());
    assertEquals(64, image.height());
  }

  private Run run(String verb, String... arguments) throws Exception {
    CommandLookup refs = new CommandLookup(verb);
    CapturedConsole console = new CapturedConsole(work);
    // Bounded: a camera that never sends would otherwise hang the build; the interrupt stops the capture.
    List<String> line = new java.util.ArrayList<>(List.of(verb));
    line.addAll(List.of(arguments));
    Future<Integer> status = runner.submit(() -> refs.dispatcher.run(line, console));
    try {
      return new Run(status.get(120, TimeUnit.SECONDS), console);
    } finally {
      status.cancel(true);
    }
  }

  /** ./vigil as the launcher runs it: the dispatcher, once the verb's command is registered. */
  private final class CommandLookup {
    final io.vigil.api.command.CommandDispatcher dispatcher;

    CommandLookup(String verb) throws Exception {
      StationFixtures.await(() -> reference(verb) != null
          && osgi.context.getServiceReference(io.vigil.api.command.CommandDispatcher.class) != null,
          () -> "command " + verb + " registered");
      dispatcher = osgi.context.getService(
          osgi.context.getServiceReference(io.vigil.api.command.CommandDispatcher.class));
    }

    private ServiceReference<Command> reference(String verb) {
      try {
        return osgi.context.getServiceReferences(Command.class, "(" + Command.NAME_PROPERTY + "=" + verb + ")")
            .stream().findFirst().orElse(null);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  private static List<Path> images(Path directory) throws IOException {
    try (var files = Files.list(directory)) {
      return files.filter(f -> f.getFileName().toString().endsWith(".png")).sorted().toList();
    }
  }

  private static List<CSVRecord> log(Path root) throws IOException {
    try (Reader reader = Files.newBufferedReader(root.resolve("capture.csv"))) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
    }
  }

  private static Map<String, String> metadata(CSVRecord row) {
    return java.util.Arrays.stream(row.get("metadata").split(";"))
        .map(pair -> pair.split("=", 2)).collect(Collectors.toMap(p -> p[0], p -> p.length > 1 ? p[1] : ""));
  }

  private static void deleteTree(Path root) throws IOException {
    if (root == null || !Files.exists(root)) {
      return;
    }
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
        Files.delete(file);
        return FileVisitResult.CONTINUE;
      }

      @Override
      public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
        Files.delete(dir);
        return FileVisitResult.CONTINUE;
      }
    });
  }

  /** A finished command: its exit status and what it printed. */
  private record Run(int status, CapturedConsole console) {
    String printed() {
      return console.printed();
    }

    /** Standard error, then standard output, for a failed command's message. */
    String errors() {
      return console.errors() + console.printed();
    }
  }
}
