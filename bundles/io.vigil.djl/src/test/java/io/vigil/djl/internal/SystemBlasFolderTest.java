package io.vigil.djl.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The folder of DJL's natives beside the system OpenBLAS, and the choice between it and the bundled BLAS. */
class SystemBlasFolderTest {
  @TempDir
  Path temp;

  @AfterEach
  void clearProperties() {
    System.clearProperty(EngineSettings.MXNET_LIBRARY_PATH);
    System.clearProperty(EngineSettings.ENGINE_CACHE_DIR);
  }

  /** A class loader holding native/lib/ as mxnet-native-mkl's jar does, with small stand-in files. */
  private ClassLoader natives() throws Exception {
    Path lib = Files.createDirectories(temp.resolve("jar/native/lib"));
    Files.writeString(lib.resolve("mxnet.properties"),
        "version=1.9.1-test\nclassifier=mkl-linux-x86_64\n"
            + "libraries=libgfortran.so.3,libgomp.so.1,libmxnet.so,libopenblas.so.0,libquadmath.so.0\n");
    for (String name : List.of("libgfortran.so.3", "libgomp.so.1", "libmxnet.so", "libopenblas.so.0",
        "libquadmath.so.0")) {
      Files.writeString(lib.resolve(name), "bundled " + name);
    }
    return new URLClassLoader(new URL[] {temp.resolve("jar").toUri().toURL()}, null);
  }

  @Test
  void theFolderHoldsTheBundledLibrariesAndLinksTheSystemOpenBlas() throws Exception {
    Path systemBlas = Files.writeString(Files.createDirectories(temp.resolve("system")).resolve("libopenblasp-r0.3.21.so"),
        "system", StandardCharsets.UTF_8);
    Path folder = SystemBlasFolder.prepare(temp.resolve("cache"), natives(), systemBlas);

    assertEquals(temp.resolve("cache/1.9.1-test-mkl-linux-x86_64-system-openblas"), folder);
    for (String name : List.of("libgfortran.so.3", "libgomp.so.1", "libmxnet.so", "libquadmath.so.0")) {
      assertEquals("bundled " + name, Files.readString(folder.resolve(name)), name);
      assertFalse(Files.isSymbolicLink(folder.resolve(name)), name + ": $ORIGIN must be this folder");
    }
    assertTrue(Files.isSymbolicLink(folder.resolve("libopenblas.so.0")));
    assertEquals(systemBlas, Files.readSymbolicLink(folder.resolve("libopenblas.so.0")));
    assertEquals("system", Files.readString(folder.resolve("libopenblas.so.0")));
    try (var files = Files.list(folder)) {
      assertEquals(5, files.count(), "no partial files left behind");
    }
  }

  @Test
  void aSecondStartKeepsTheExtractedFilesAndFollowsAnotherSystemLibrary() throws Exception {
    Path first = Files.createDirectories(temp.resolve("a")).resolve("libopenblas.so.0");
    Path second = Files.createDirectories(temp.resolve("b")).resolve("libopenblas.so.0");
    Files.writeString(first, "first");
    Files.writeString(second, "second");
    ClassLoader natives = natives();
    Path folder = SystemBlasFolder.prepare(temp.resolve("cache"), natives, first);
    Files.writeString(folder.resolve("libmxnet.so"), "kept");
    assertEquals(folder, SystemBlasFolder.prepare(temp.resolve("cache"), natives, second));
    assertEquals("kept", Files.readString(folder.resolve("libmxnet.so")));
    assertEquals("second", Files.readString(folder.resolve("libopenblas.so.0")));
  }

  @Test
  void theConfiguredLibraryWinsAndAMissingOneIsNotFound() throws Exception {
    Path found = Files.writeString(temp.resolve("libopenblas.so.0"), "x");
    List<Path> searched = List.of(temp.resolve("missing.so"), found);
    assertEquals(found, SystemBlasFolder.findSystemOpenBlas("", searched).orElseThrow());
    assertTrue(SystemBlasFolder.findSystemOpenBlas(temp.resolve("other.so").toString(), searched).isEmpty());
    assertTrue(SystemBlasFolder.findSystemOpenBlas(null, List.of(temp.resolve("missing.so"))).isEmpty());
  }

  @Test
  void systemBlasSetsTheLibraryPathDjlReads() throws Exception {
    Path systemBlas = Files.writeString(temp.resolve("libopenblas.so.0"), "system");
    System.setProperty(EngineSettings.ENGINE_CACHE_DIR, temp.resolve("engines").toString());
    String used = EngineSettings.applyBlas("system", "", natives(), Map.<String, String>of()::get,
        List.of(systemBlas), library -> null);
    assertTrue(used.startsWith("system OpenBLAS"), used);
    Path folder = Path.of(System.getProperty(EngineSettings.MXNET_LIBRARY_PATH));
    assertEquals(temp.resolve("engines/mxnet"), folder.getParent());
    assertArrayEquals(Files.readAllBytes(systemBlas), Files.readAllBytes(folder.resolve("libopenblas.so.0")));
  }

  @Test
  void aMissingOrUnloadableSystemBlasFallsBackToTheBundledOne() throws Exception {
    System.setProperty(EngineSettings.ENGINE_CACHE_DIR, temp.resolve("engines").toString());
    String missing = EngineSettings.applyBlas("system", "", natives(), Map.<String, String>of()::get,
        List.of(temp.resolve("nowhere.so")), library -> null);
    assertTrue(missing.startsWith("bundled OpenBLAS (fallback: no system OpenBLAS"), missing);
    assertNull(System.getProperty(EngineSettings.MXNET_LIBRARY_PATH));

    Path broken = Files.writeString(temp.resolve("libopenblas.so.0"), "not an ELF file");
    String unloadable = EngineSettings.applyBlas("system", "", natives(), Map.<String, String>of()::get,
        List.of(broken), EngineSettings::tryLoad);
    assertTrue(unloadable.contains("does not load"), unloadable);
    assertNull(System.getProperty(EngineSettings.MXNET_LIBRARY_PATH));
  }

  @Test
  void theLoadedOpenBlasIsReadFromTheProcessMaps() {
    List<String> maps = List.of(
        "7f1c2a000000-7f1c2a200000 r-xp 00000000 08:01 123 /usr/lib/x86_64-linux-gnu/libm.so.6",
        "7f1c2b000000-7f1c2c000000 r-xp 00000000 08:01 456 /usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so",
        "7f1c2d000000-7f1c2d100000 rw-p 00000000 00:00 0 ");
    assertEquals("/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so",
        EngineSettings.loadedOpenBlas(maps).orElseThrow());
    assertTrue(EngineSettings.loadedOpenBlas(maps.subList(0, 1)).isEmpty());
  }

  @Test
  void bundledAndTheEnvironmentLeaveTheLibraryPathAlone() throws Exception {
    Path systemBlas = Files.writeString(temp.resolve("libopenblas.so.0"), "system");
    System.setProperty(EngineSettings.ENGINE_CACHE_DIR, temp.resolve("engines").toString());
    EngineSettings.applyBlas("system", "", natives(), Map.<String, String>of()::get, List.of(systemBlas), l -> null);
    assertTrue(System.getProperty(EngineSettings.MXNET_LIBRARY_PATH) != null);

    String bundled = EngineSettings.applyBlas("bundled", "", natives(), Map.<String, String>of()::get,
        List.of(systemBlas), l -> null);
    assertEquals("bundled OpenBLAS (blas=bundled)", bundled);
    assertNull(System.getProperty(EngineSettings.MXNET_LIBRARY_PATH), "the earlier activation's folder is dropped");

    String fromEnvironment = EngineSettings.applyBlas("system", "", natives(),
        Map.of(EngineSettings.MXNET_LIBRARY_PATH, "/opt/mxnet")::get, List.of(systemBlas), l -> null);
    assertEquals("native MXNet from MXNET_LIBRARY_PATH=/opt/mxnet", fromEnvironment);
    assertNull(System.getProperty(EngineSettings.MXNET_LIBRARY_PATH));
  }
}
