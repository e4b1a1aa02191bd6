package io.vigil.backbone.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.vigil.backbone.BackboneException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where weights come from, tested against the real weights file served from loopback. */
class ModelFilesTest {
  private static final String FILE = MobileNetV2Factory.WEIGHTS_FILE;
  private static final String SHA = MobileNetV2Factory.WEIGHTS_SHA256;

  @TempDir Path temp;
  private HttpServer server;
  private final AtomicInteger requests = new AtomicInteger();

  @BeforeEach
  void serveWeightsOnLoopback() throws IOException {
    byte[] weights = Files.readAllBytes(SharedFiles.models().resolve(FILE));
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/weights.tflite", exchange -> {
      requests.incrementAndGet();
      exchange.sendResponseHeaders(200, weights.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(weights);
      }
    });
    server.createContext("/missing", exchange -> {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
  }

  @Test
  void theExplicitDirectoryComesFirstAndTheContentIsChecked() throws Exception {
    Path explicit = Files.createDirectories(temp.resolve("explicit"));
    Files.copy(SharedFiles.models().resolve(FILE), explicit.resolve(FILE));
    ModelFiles files = new ModelFiles(List.of(explicit, SharedFiles.models()), temp.resolve("cache"), true,
        Duration.ofSeconds(10));
    assertEquals(explicit.resolve(FILE), files.locate(new ModelFiles.Wanted(FILE, SHA, url("/weights.tflite"), "w")));
    assertEquals(0, requests.get(), "nothing is downloaded when a copy is found");
  }

  @Test
  void aFileWithOtherContentIsSkippedAndNamedInTheError() throws IOException {
    Path wrong = Files.createDirectories(temp.resolve("wrong"));
    Files.writeString(wrong.resolve(FILE), "not the weights");
    ModelFiles files = new ModelFiles(List.of(wrong), temp.resolve("cache"), false, Duration.ofSeconds(10));
    BackboneException e = assertThrows(BackboneException.class,
        () -> files.locate(new ModelFiles.Wanted(FILE, SHA, url("/weights.tflite"), "MobileNetV2 weights")));
    assertTrue(e.getMessage().contains("Wrong content: " + wrong.resolve(FILE)), e.getMessage());
  }

  @Test
  void aMissingFileIsDownloadedCheckedAndKept() throws Exception {
    Path cache = temp.resolve("cache");
    ModelFiles files = new ModelFiles(List.of(temp.resolve("empty"), cache), cache, true, Duration.ofSeconds(10));
    Path found = files.locate(new ModelFiles.Wanted(FILE, SHA, url("/weights.tflite"), "w"));
    assertEquals(cache.resolve(FILE), found);
    assertEquals(SHA, ModelFiles.sha256(found));
    assertEquals(List.of(FILE), Files.list(cache).map(p -> p.getFileName().toString()).toList(), "no partial file left");
    files.locate(new ModelFiles.Wanted(FILE, SHA, url("/weights.tflite"), "w"));
    assertEquals(1, requests.get(), "the second lookup finds the downloaded copy");
  }

  @Test
  void aDownloadWithTheWrongChecksumIsRefusedAndLeavesNothing() throws IOException {
    Path cache = temp.resolve("cache");
    ModelFiles files = new ModelFiles(List.of(cache), cache, true, Duration.ofSeconds(10));
    String otherSha = "0".repeat(64);
    BackboneException e = assertThrows(BackboneException.class,
        () -> files.locate(new ModelFiles.Wanted(FILE, otherSha, url("/weights.tflite"), "w")));
    assertTrue(e.getMessage().contains("downloaded file has sha256 " + SHA), e.getMessage());
    assertFalse(Files.list(cache).findAny().isPresent(), "the bad download was removed");
  }

  @Test
  void offlineTheErrorSaysWhichFileIsNeededAndWhereToPutIt() {
    Path cache = temp.resolve("home/.vigil/models");
    ModelFiles files = new ModelFiles(List.of(temp.resolve("a"), cache), cache, true, Duration.ofSeconds(5));
    // Nothing listens on the discard port of loopback: the same failure as no network.
    URI unreachable = URI.create("http://127.0.0.1:9/" + FILE);
    BackboneException e = assertThrows(BackboneException.class,
        () -> files.locate(new ModelFiles.Wanted(FILE, SHA, unreachable, "MobileNetV2 ImageNet weights")));
    String message = e.getMessage();
    assertTrue(message.startsWith("MobileNetV2 ImageNet weights not found: need file '" + FILE + "' (sha256 " + SHA),
        message);
    assertTrue(message.contains(temp.resolve("a").toString()), message);
    assertTrue(message.contains("download from " + unreachable + " failed"), message);
    assertTrue(message.contains("VIGIL_MODEL_PATH") && message.contains("--models DIR"), message);
  }

  @Test
  void anHttpErrorIsReported() {
    ModelFiles files = new ModelFiles(List.of(), temp.resolve("cache"), true, Duration.ofSeconds(5));
    BackboneException e = assertThrows(BackboneException.class,
        () -> files.locate(new ModelFiles.Wanted(FILE, SHA, url("/missing"), "w")));
    assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
  }

  @Test
  void theSearchPathIsExplicitThenVariableThenHome() {
    Path home = Path.of("/home/op");
    List<Path> path = ModelFiles.standardSearchPath(List.of(Path.of("/opt/m")), "/a:/b", home);
    assertEquals(List.of(Path.of("/opt/m"), Path.of("/a"), Path.of("/b"), Path.of("/home/op/.vigil/models")), path);
  }

  @Test
  void notATfliteFileIsRefusedClearly() throws IOException {
    Path bogus = Files.writeString(temp.resolve("bogus.tflite"), "PK\u0003\u0004 a zip, not a model");
    IOException e = assertThrows(IOException.class, () -> TfLiteModel.read(bogus));
    assertTrue(e.getMessage().contains("not a readable TensorFlow Lite model"), e.getMessage());
  }
}
