package io.vigil.soak.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  @Test
  void percentilesAreTheNearestRankOverAllAndAfterTheFirstTenth() {
    Latencies latencies = new Latencies();
    for (int i = 0; i < 10; i++) {
      latencies.add(1000 + i); // a slow start
    }
    for (int i = 1; i <= 90; i++) {
      latencies.add(i);
    }
    assertEquals(100, latencies.count());
    assertEquals(50, latencies.percentile(0, 0.5));
    assertEquals(1008, latencies.percentile(0, 0.99));
    assertEquals(1009, latencies.percentile(0, 1));
    assertEquals(45, latencies.percentile(10, 0.5));
    assertEquals(90, latencies.percentile(10, 0.99));
    assertTrue(latencies.describe(30).contains("after the first tenth p50 45.0, p90 81.0, p99 90.0, max 90.0"),
        latencies.describe(30));
  }

  @Test
  void theCameraClockHandsOutCaptureTimesOneIntervalApartAndWaitsForThem() throws Exception {
    CameraClock clock = new CameraClock(1000);
    Instant first = clock.await(0, Duration.ofSeconds(1));
    Instant third = clock.await(2, Duration.ofSeconds(1));
    assertEquals(Duration.ofMillis(2), Duration.between(first, third));
    assertEquals(null, clock.await(1_000_000, Duration.ofMillis(1)), "a frame due in 1,000 s is not due within 1 ms");
  }
}
