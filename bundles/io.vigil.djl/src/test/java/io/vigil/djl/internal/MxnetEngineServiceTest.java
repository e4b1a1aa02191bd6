package io.vigil.djl.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.djl.EngineUnavailableException;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

/** The engine start-up's failure modes: a reason instead of a hang. */
class MxnetEngineServiceTest {

  @Test
  void aFailedStartGivesTheReasonAndWhereTheNativesGo() {
    MxnetEngineService service = new MxnetEngineService(5, "test BLAS", () -> {
      throw new UnsatisfiedLinkError("libmxnet.so: cannot open shared object file");
    });
    EngineUnavailableException e = assertThrows(EngineUnavailableException.class, service::engine);
    assertTrue(e.getMessage().contains("could not start: libmxnet.so: cannot open shared object file"), e.getMessage());
    assertTrue(e.getMessage().contains("extracted to"), e.getMessage());
    assertTrue(service.description().contains("failed"), service.description());
  }

  @Test
  void aStartThatHangsTimesOutWithTheSettingToChange() {
    CountDownLatch never = new CountDownLatch(1);
    MxnetEngineService service = new MxnetEngineService(1, "test BLAS", () -> {
      never.await();
      return null;
    });
    long start = System.nanoTime();
    EngineUnavailableException e = assertThrows(EngineUnavailableException.class, service::engine);
    assertTrue((System.nanoTime() - start) / 1e9 < 5, "waited far longer than the timeout");
    assertTrue(e.getMessage().contains("did not start within 1 s"), e.getMessage());
    assertEquals("MXNet (starting)", service.description());
  }

  @Test
  void startUpRunsWithThisBundlesClassLoaderAsContextLoader() throws Exception {
    ClassLoader[] seen = new ClassLoader[1];
    MxnetEngineService service = new MxnetEngineService(5, "test BLAS", () -> {
      seen[0] = Thread.currentThread().getContextClassLoader();
      throw new IllegalStateException("stop here");
    });
    assertThrows(EngineUnavailableException.class, service::engine);
    assertEquals(MxnetEngineService.class.getClassLoader(), seen[0]);
  }

  @Test
  void settingsBecomeTheSystemPropertiesDjlReads() {
    EngineSettings.apply("/tmp/vigil-native-cache", true, 2);
    assertEquals("true", System.getProperty("ai.djl.offline"));
    assertEquals("true", System.getProperty("OPT_OUT_TRACKING"));
    assertEquals("/tmp/vigil-native-cache", System.getProperty("ENGINE_CACHE_DIR"));
    assertEquals("2", System.getProperty("OMP_NUM_THREADS"));
    assertEquals("/tmp/vigil-native-cache", EngineSettings.nativeCacheDescription());
    System.clearProperty("ENGINE_CACHE_DIR");
    System.clearProperty("OMP_NUM_THREADS");
  }

  @Test
  void reasonsChainTheCauses() {
    assertEquals("outer: inner", MxnetEngineService.reason(new RuntimeException("outer", new Error("inner"))));
  }
}
