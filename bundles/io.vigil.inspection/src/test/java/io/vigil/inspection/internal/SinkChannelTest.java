package io.vigil.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.inspection.SinkStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A sink's queue and thread: the station never waits, and nothing is lost without a count. */
class SinkChannelTest {
  private static final long WAIT_SECONDS = 120;

  @Test
  void aStuckSinkNeverHoldsUpTheStationAndItsDropsAreCounted() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    CountDownLatch firstTaken = new CountDownLatch(1);
    List<String> received = new CopyOnWriteArrayList<>();
    ResultSink stuck = new ResultSink() {
      @Override
      public void accept(InspectionResult result) {
        firstTaken.countDown();
        try {
          release.await(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        received.add(result.frameId());
      }

      @Override
      public String state() {
        return "disconnected: test";
      }
    };
    SinkChannel channel = new SinkChannel(stuck, "stuck", 3);
    channel.offer(result(0));
    assertTrue(firstTaken.await(WAIT_SECONDS, TimeUnit.SECONDS));
    for (int i = 1; i <= 10; i++) {
      channel.offer(result(i)); // returns at once: 3 queued, 7 dropped
    }
    SinkStatus status = channel.status();
    assertEquals(new SinkStatus("stuck", "disconnected: test", 3, 0, 0, 7), status);

    release.countDown();
    channel.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertEquals(List.of("f0", "f1", "f2", "f3"), received, "in order, what was queued delivered before closing");
    assertEquals(new SinkStatus("stuck", "disconnected: test", 0, 4, 0, 7), channel.status());
  }

  @Test
  void resultsTheSinkThrowsOnAreCountedAsFailed() throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    ResultSink picky = result -> {
      if (result.frameId().equals("f1")) {
        throw new IllegalStateException("broker refused f1");
      }
      received.add(result.frameId());
    };
    SinkChannel channel = new SinkChannel(picky, "picky", 10);
    for (int i = 0; i < 3; i++) {
      channel.offer(result(i));
    }
    channel.close(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
    assertEquals(List.of("f0", "f2"), received);
    SinkStatus status = channel.status();
    assertEquals(2, status.delivered());
    assertEquals(1, status.failed());
    assertEquals("ready", status.state());
  }

  private static InspectionResult result(int i) {
    Frame frame = new Frame("f" + i, Instant.now(), "test", Image.of8Bit(1, 1, 1, new byte[1]));
    return new InspectionResult(i + 1, frame, frame.id(), "test", null, null, "no detector", Duration.ZERO, Instant.now());
  }
}
