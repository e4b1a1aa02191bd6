package io.vigil.source.camera.internal;

import io.vigil.api.image.Frame;
import io.vigil.api.image.Image;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A reader of a camera source. A lost camera is an {@link IOException} once (the station reopens),
 * a frame that cannot be converted a {@link FrameReadException}.
 */
final class CameraFrameStream implements FrameStream {
  private final CameraAcquisition.Reader reader;
  private final String sourceName;
  private final String origin;
  private final AtomicLong sequence;

  /** @param sequence the source's frame counter, shared by its streams so ids stay unique */
  CameraFrameStream(CameraAcquisition.Reader reader, String sourceName, String origin, AtomicLong sequence) {
    this.reader = reader;
    this.sourceName = sourceName;
    this.origin = origin;
    this.sequence = sequence;
  }

  @Override
  public Frame next(Duration timeout) throws FrameReadException, IOException, InterruptedException {
    CameraAcquisition.Delivery delivery = reader.poll(timeout);
    if (delivery == null) {
      return null;
    }
    if (delivery instanceof CameraAcquisition.LossDelivery loss) {
      throw new IOException("camera source '" + sourceName + "' lost its camera: " + loss.reason() + "; reconnecting");
    }
    RawFrame raw = ((CameraAcquisition.FrameDelivery) delivery).frame();
    String id = sourceName + "-" + sequence.incrementAndGet();
    Image image;
    try {
      image = PixelFormats.toImage(raw);
    } catch (IllegalArgumentException e) {
      throw new FrameReadException(origin + "#" + raw.frameId(), e.getMessage(), e);
    }
    Instant taken = raw.systemTimestamp() > 0
        ? Instant.ofEpochSecond(0, raw.systemTimestamp()) : Instant.now();
    Map<String, String> metadata = Map.of(
        "camera.frame.id", Long.toString(raw.frameId()),
        "camera.timestamp", Long.toString(raw.deviceTimestamp()),
        "pixel.format", PixelFormats.name(raw.pixelFormat()),
        "frames.dropped", Integer.toString(reader.droppedFrames()));
    return new Frame(id, taken, origin, image, null, metadata);
  }

  @Override
  public boolean isExhausted() {
    return false;
  }

  @Override
  public void close() {
    reader.close();
  }
}
