package io.vigil.itest;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Aravis's simulated GigE Vision camera ({@code arv-fake-gv-camera-0.8} from Debian's aravis-tools)
 * on the loopback interface, started and stopped by the tests. Aravis finds it as
 * {@code Aravis-Fake-SERIAL}.
 */
final class FakeCamera implements AutoCloseable {
  static final String PROGRAM = "arv-fake-gv-camera-0.8";
  private final String serial;
  private final Path log;
  private Process process;

  FakeCamera(String serial) throws IOException {
    this.serial = serial;
    this.log = Files.createTempFile("vigil-fake-camera", ".log");
  }

  String deviceId() {
    return "Aravis-Fake-" + serial;
  }

  /** Starts the camera; fails with what to install when the program is missing. */
  void start() throws Exception {
    String program = locate();
    process = new ProcessBuilder(program, "-i", "127.0.0.1", "-s", serial)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // It binds its sockets at once; give it a moment, then make sure it did not exit (port taken).
    if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
      throw new AssertionError(PROGRAM + " exited with " + process.exitValue() + " right after starting: "
          + Files.readString(log) + " (is another fake camera holding 127.0.0.1:3956?)");
    }
  }

  /** Stops the camera as a power cut would, and waits until it is gone. */
  void stop() throws InterruptedException {
    if (process != null && process.isAlive()) {
      process.destroy();
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    }
  }

  @Override
  public void close() throws Exception {
    stop();
    Files.deleteIfExists(log);
  }

  private static String locate() {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, PROGRAM);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(PROGRAM + " is not installed: the camera tests need Aravis's simulated camera "
        + "(Debian/Ubuntu: apt-get install aravis-tools libaravis-0.8-0; .ci/run installs them)");
  }
}
