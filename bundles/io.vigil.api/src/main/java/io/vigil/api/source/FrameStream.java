package io.vigil.api.source;

import io.vigil.api.image.Frame;
import java.io.IOException;
import java.time.Duration;
import java.util.OptionalInt;
import org.osgi.annotation.versioning.ConsumerType;

/** An open stream of frames from an {@link ImageSource}. Not thread safe: one reader. */
@ConsumerType
public interface FrameStream extends AutoCloseable {

  /**
   * The next frame, waiting at most {@code timeout} for a live source.
   *
   * @return the frame, or null when none arrived in time or the stream is exhausted
   * @throws FrameReadException when one item could not be read (a corrupt file); the stream stays
   *     usable and the next call moves on to the following item
   * @throws IOException when the stream as a whole failed (camera lost); the caller may reopen
   */
  Frame next(Duration timeout) throws FrameReadException, IOException, InterruptedException;

  /** True when a finite stream has delivered everything; always false for live streams. */
  boolean isExhausted();

  /** The number of frames a finite stream delivers in all, when known up front. */
  default OptionalInt size() {
    return OptionalInt.empty();
  }

  @Override
  void close() throws IOException;
}
