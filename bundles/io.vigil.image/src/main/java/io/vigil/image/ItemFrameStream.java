package io.vigil.image;

import io.vigil.api.image.Frame;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.function.Function;

/**
 * A finite stream over listed items, decoding each when it is asked for. An item that cannot be
 * read (corrupt image, mask of another size, file gone) is a {@link FrameReadException} naming
 * the file, and the stream moves on.
 */
public final class ItemFrameStream implements FrameStream {
  private final List<DatasetItem> items;
  private final Function<DatasetItem, Map<String, String>> metadata;
  private final DecodeLimits limits;
  private int next;
  private boolean closed;

  /** @param metadata the frame metadata for an item (split, category, ...) */
  public ItemFrameStream(List<DatasetItem> items, Function<DatasetItem, Map<String, String>> metadata) {
    this(items, metadata, DecodeLimits.defaults());
  }

  /** @param limits how images are decoded (pixel limit, longest side) */
  public ItemFrameStream(List<DatasetItem> items, Function<DatasetItem, Map<String, String>> metadata,
      DecodeLimits limits) {
    this.items = List.copyOf(items);
    this.metadata = metadata;
    this.limits = limits;
  }

  @Override
  public Frame next(Duration timeout) throws FrameReadException, IOException {
    if (closed) {
      throw new IOException("stream is closed");
    }
    if (next >= items.size()) {
      return null;
    }
    DatasetItem item = items.get(next++);
    try {
      return DatasetFrames.read(item, metadata.apply(item), limits);
    } catch (ImageFormatException e) {
      // The message names the faulty file, which may be the mask rather than the image.
      String message = e.file().equals(item.image()) ? e.reason() : e.getMessage();
      throw new FrameReadException(item.image().toString(), message, e);
    } catch (IOException | RuntimeException e) {
      String message = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
      throw new FrameReadException(item.image().toString(), message, e);
    }
  }

  @Override
  public boolean isExhausted() {
    return next >= items.size();
  }

  @Override
  public OptionalInt size() {
    return OptionalInt.of(items.size());
  }

  @Override
  public void close() {
    closed = true;
  }
}
