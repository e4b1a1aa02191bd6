package io.vigil.dataset.capture.internal;

import io.vigil.api.image.Frame;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.dataset.capture.CaptureFolder;
import io.vigil.dataset.capture.CaptureLog;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Reads frames from an image source and saves them into a {@link CaptureFolder}, logging each in
 * {@link CaptureLog}. Runs on the calling thread; an interrupt stops it after the image being
 * written.
 */
final class Capture {
  /** How long one read waits before checking for an interrupt again. */
  private static final Duration POLL = Duration.ofMillis(500);

  /** When the next frame should be taken, for {@code --trigger software}. */
  interface Trigger {
    /** Waits for the next trigger; false when no more will come (end of input). */
    boolean await() throws IOException, InterruptedException;
  }

  /** What the capture reports as it goes. */
  interface Listener {
    void saved(Path file, Frame frame);

    void skipped(String reason);
  }

  /** How a capture ended. */
  enum End { COUNT_REACHED, SOURCE_EXHAUSTED, TRIGGERS_ENDED, INTERRUPTED }

  private final ImageSource source;
  private final Map<String, String> settings;
  private final CaptureFolder folder;
  private final CaptureLog log;
  private final Clock clock;
  private int saved;

  Capture(ImageSource source, Map<String, String> settings, CaptureFolder folder, CaptureLog log, Clock clock) {
    this.source = source;
    this.settings = Map.copyOf(settings);
    this.folder = folder;
    this.log = log;
    this.clock = clock;
  }

  int saved() {
    return saved;
  }

  /**
   * Saves {@code count} frames (0: until the source ends or the thread is interrupted), at most one
   * per {@code every}, or one per trigger when {@code trigger} is given.
   *
   * @throws IOException when the source fails as a whole (camera lost) or an image cannot be written
   */
  End run(int count, Duration every, Trigger trigger, Listener listener) throws IOException {
    // A live source read on trigger gets a new stream per trigger, so the frame saved is one taken
    // after the trigger, never one that waited in the stream (a software-triggered camera is asked
    // for it then). A finite source keeps one stream, so it goes on where it was.
    boolean streamPerTrigger = trigger != null && !source.isFinite();
    FrameStream stream = streamPerTrigger ? null : source.open();
    Instant due = Instant.MIN;
    try {
      while (count == 0 || saved < count) {
        if (trigger != null && !trigger.await()) {
          return End.TRIGGERS_ENDED;
        }
        Frame frame = null;
        while (frame == null) {
          try {
            if (streamPerTrigger) {
              try (FrameStream fresh = source.open()) {
                frame = next(fresh, listener);
              }
            } else {
              frame = next(stream, listener);
              if (frame == null && stream.isExhausted()) {
                return End.SOURCE_EXHAUSTED;
              }
            }
          } catch (IOException lost) {
            if (source.isFinite()) {
              throw lost;
            }
            // A live source that lost its camera reconnects by itself, as the station relies on:
            // read on from a new stream (for a trigger, the frame it asked for is taken from that).
            listener.skipped(lost.getMessage() + "; reading on");
            if (stream != null) {
              stream.close();
              stream = source.open();
            }
          }
          if (frame == null && trigger == null) {
            break; // an unreadable frame: the next one counts as usual
          }
        }
        if (frame == null) {
          continue;
        }
        Instant now = clock.instant();
        if (now.isBefore(due)) {
          continue; // --every: frames between two saves are left out
        }
        Path file = folder.write(frame.image());
        log.record(file, source.name(), frame, settings);
        saved++;
        due = now.plus(every);
        listener.saved(file, frame);
      }
      return End.COUNT_REACHED;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return End.INTERRUPTED;
    } finally {
      if (stream != null) {
        stream.close();
      }
    }
  }

  /** The next frame, null when the stream is exhausted or a frame could not be read. */
  private static Frame next(FrameStream stream, Listener listener) throws IOException, InterruptedException {
    while (true) {
      if (Thread.interrupted()) {
        throw new InterruptedException();
      }
      try {
        Frame frame = stream.next(POLL);
        if (frame != null || stream.isExhausted()) {
          return frame;
        }
      } catch (FrameReadException e) {
        listener.skipped(e.getMessage());
        return null;
      }
    }
  }
}
