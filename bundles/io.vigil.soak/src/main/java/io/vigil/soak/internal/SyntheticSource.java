package io.vigil.soak.internal;

import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A live source that never makes the station wait: each call gives the next frame at once, or,
 * with a {@link CameraClock}, when the frame is due. The soak's sources share one counter (and
 * clock), so frame numbers run on across source swaps and every frame handed out can be accounted
 * for ({@code soak-N}).
 */
final class SyntheticSource implements ImageSource {
  static final String FRAME_PREFIX = "soak-";

  private final String name;
  private final List<Image> images;
  private final AtomicLong made;
  private final CameraClock clock;

  /** @param clock the camera's frame clock; null for frames as fast as they are taken */
  SyntheticSource(String name, List<Image> images, AtomicLong made, CameraClock clock) {
    this.name = name;
    this.images = List.copyOf(images);
    this.made = made;
    this.clock = clock;
  }

  /** The frame number in a soak frame id, or -1 for a frame from elsewhere. */
  static long number(String frameId) {
    if (frameId == null || !frameId.startsWith(FRAME_PREFIX)) {
      return -1;
    }
    try {
      return Long.parseLong(frameId.substring(FRAME_PREFIX.length()));
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isFinite() {
    return false;
  }

  @Override
  public FrameStream open() {
    return new FrameStream() {
      @Override
      public Frame next(Duration timeout) throws InterruptedException {
        Instant captured = Instant.now();
        long number;
        if (clock == null) {
          number = made.getAndIncrement();
        } else {
          // Frames are numbered when due, so a swap never skips or repeats one.
          synchronized (made) {
            captured = clock.await(made.get(), timeout);
            if (captured == null) {
              return null;
            }
            number = made.getAndIncrement();
          }
        }
        Image image = images.get((int) (number % images.size()));
        return new Frame(FRAME_PREFIX + number, captured, name, image);
      }

      @Override
      public boolean isExhausted() {
        return false;
      }

      @Override
      public void close() {}
    };
  }
}
