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
 * A live source that never makes the station wait: each call gives the next frame at once. The
 * soak's sources share one counter, so frame numbers run on across source swaps and every frame
 * handed out can be accounted for ({@code soak-N}).
 */
final class SyntheticSource implements ImageSource {
  static final String FRAME_PREFIX = "soak-";

  private final String name;
  private final List<Image> images;
  private final AtomicLong made;

  SyntheticSource(String name, List<Image> images, AtomicLong made) {
    this.name = name;
    this.images = List.copyOf(images);
    this.made = made;
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
      public Frame next(Duration timeout) {
        long number = made.getAndIncrement();
        Image image = images.get((int) (number % images.size()));
        return new Frame(FRAME_PREFIX + number, Instant.now(), name, image);
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
