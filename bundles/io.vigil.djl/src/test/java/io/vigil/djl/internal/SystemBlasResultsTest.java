package io.vigil.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.DataInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The system OpenBLAS gives the bundled one's results: the same product computed by MXNet in two
 * JVMs, one per BLAS (a process loads libmxnet.so once), agrees within 1e-4 relative.
 */
class SystemBlasResultsTest {
  @TempDir
  Path temp;

  @Test
  void theSystemOpenBlasComputesWhatTheBundledOneDoes() throws Exception {
    Probe system = probe("system");
    assertTrue(system.blas.startsWith("system OpenBLAS"), "the system OpenBLAS was not used (" + system.blas
        + "): install it (Debian: apt-get install libopenblas0-pthread; .ci/run does)");
    Probe bundled = probe("bundled");
    assertEquals("bundled OpenBLAS (blas=bundled)", bundled.blas);
    // What the processes really mapped: the machine's library in one, DJL's extracted copy in the other.
    Path systemLibrary = SystemBlasFolder.findSystemOpenBlas("", SystemBlasFolder.SEARCHED).orElseThrow().toRealPath();
    assertEquals(systemLibrary.toString(), system.loaded);
    assertTrue(bundled.loaded.contains("mkl-linux-x86_64/libopenblas.so.0"), bundled.loaded);
    assertEquals(bundled.values.length, system.values.length);
    double largest = 0;
    double worst = 0;
    for (int i = 0; i < system.values.length; i++) {
      largest = Math.max(largest, Math.abs(bundled.values[i]));
      worst = Math.max(worst, Math.abs(system.values[i] - bundled.values[i]));
    }
    assertTrue(largest > 10, "the product is not trivially small");
    assertTrue(worst <= 1e-4 * largest, "largest difference " + worst + " of values up to " + largest);
  }

  private record Probe(String blas, String loaded, float[] values) {}

  private Probe probe(String blas) throws Exception {
    Path out = temp.resolve(blas + ".bin");
    Path log = temp.resolve(blas + ".log");
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    ProcessBuilder builder = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
        BlasProbe.class.getName(), blas, out.toString())
        .redirectErrorStream(true)
        .redirectOutput(log.toFile());
    builder.environment().remove(EngineSettings.MXNET_LIBRARY_PATH);
    Process process = builder.start();
    if (!process.waitFor(300, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor();
    }
    assertEquals(0, process.exitValue(), blas + " probe failed:\n" + Files.readString(log, StandardCharsets.UTF_8));
    try (DataInputStream in = new DataInputStream(Files.newInputStream(out))) {
      String used = in.readUTF();
      String loaded = in.readUTF();
      float[] values = new float[in.readInt()];
      for (int i = 0; i < values.length; i++) {
        values[i] = in.readFloat();
      }
      return new Probe(used, loaded, values);
    }
  }
}
