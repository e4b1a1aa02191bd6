package io.vigil.itest.ui;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Aravis's simulated GigE Vision camera ({@code arv-fake-gv-camera-0.8}, Debian aravis-tools) on
 * loopback, as io.vigil.itest's camera tests start it; Aravis finds it as {@code Aravis-Fake-SERIAL}.
 */
final class SimulatedCamera implements AutoCloseable {
  static final String PROGRAM = "arv-fake-gv-camera-0.8";
  private final String serial;
  private final Path log;
  private final Process process;

  SimulatedCamera(String serial) throws Exception {
    this.serial = serial;
    this.log = Files.createTempFile("vigil-ui-fake-camera", ".log");
    process = new ProcessBuilder(locate(), "-i", "127.0.0.1", "-s", serial)
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    // It binds its sockets at once; make sure it did not exit at once (port taken by another fake camera).
    if (process.waitFor(500, TimeUnit.MILLISECONDS)) {
      throw new AssertionError(PROGRAM + " exited with " + process.exitValue() + ": " + Files.readString(log));
    }
  }

  String deviceId() {
    return "Aravis-Fake-" + serial;
  }

  @Override
  public void close() throws Exception {
    process.destroy();
    if (!process.waitFor(5, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
    }
    Files.deleteIfExists(log);
  }

  private static String locate() throws IOException {
    for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(File.pathSeparator)) {
      Path candidate = Path.of(dir, PROGRAM);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
    }
    throw new AssertionError(PROGRAM + " is not installed: apt-get install aravis-tools libaravis-0.8-0");
  }
}
