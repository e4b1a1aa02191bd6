package io.vigil.itest;

import static io.vigil.itest.StationFixtures.await;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Mosquitto broker on a free loopback port, started and stopped by a test, with
 * persistence in the test's folder (so sessions survive a stop and start).
 */
final class Mosquitto implements AutoCloseable {
  private final Path conf;
  private final int port;
  private Process process;

  Mosquitto(Path folder) throws IOException {
    this.port = freePort();
    this.conf = folder.resolve("mosquitto.conf");
    Files.writeString(conf, String.join("\n",
        "listener " + port + " 127.0.0.1",
        "allow_anonymous true",
        "persistence true",
        "persistence_location " + folder + "/",
        // A subscriber that is offline itself while a sink flushes what it buffered during an outage
        // would otherwise get only Mosquitto's default 1000 queued messages (seen: 1060 of 1920 after
        // a one-minute outage, SinkFaultTest); a plant's broker needs the same thought.
        "max_queued_messages 100000",
        // Started as root, mosquitto would switch to its own user and could not save its
        // persistence file (the subscribers' sessions) into the test's folder; ignored otherwise.
        "user root",
        ""));
  }

  String url() {
    return "tcp://127.0.0.1:" + port;
  }

  void start() throws Exception {
    process = new ProcessBuilder(executable(), "-c", conf.toString())
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(conf.resolveSibling("mosquitto.log").toFile()))
        .start();
    await(this::listening, () -> "mosquitto listening on " + port + " (log " + conf.resolveSibling("mosquitto.log") + ")");
  }

  /** SIGTERM: mosquitto saves its persistence file and exits. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  @Override
  public void close() throws InterruptedException {
    stop();
  }

  /** Debian's mosquitto (.ci/run installs it); missing it is a failure that names the package. */
  private static String executable() {
    for (String candidate : List.of("/usr/sbin/mosquitto", "/usr/bin/mosquitto")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("mosquitto not found: apt-get install mosquitto (.ci/run installs it)");
  }

  private boolean listening() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
