package io.vigil.source.folder.internal;

import io.vigil.api.image.Frame;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.image.DatasetFrames;
import io.vigil.image.DecodeLimits;
import io.vigil.image.ImageFormatException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * Frames from the files a {@link FolderWatcher} reports ready; an unreadable file is an error, not an
 * end. A deleted folder fails the stream once (the reader reopens and waits for it).
 */
final class LiveFolderStream implements FrameStream {
  private final FolderWatcher.Subscription subscription;
  private final FolderLayout layout;
  private final Map<String, String> metadata;
  private final DecodeLimits limits;

  LiveFolderStream(FolderWatcher.Subscription subscription, FolderLayout layout, Map<String, String> metadata) {
    this(subscription, layout, metadata, DecodeLimits.defaults());
  }

  LiveFolderStream(FolderWatcher.Subscription subscription, FolderLayout layout, Map<String, String> metadata,
      DecodeLimits limits) {
    this.subscription = subscription;
    this.layout = layout;
    this.metadata = Map.copyOf(metadata);
    this.limits = limits;
  }

  @Override
  public Frame next(Duration timeout) throws FrameReadException, IOException, InterruptedException {
    subscription.checkFolder();
    Path file = subscription.poll(timeout);
    if (file == null) {
      subscription.checkFolder(); // the folder went away while waiting: the reader hears of it once
      return null;
    }
    DatasetItem item = layout.item(file);
    try {
      return DatasetFrames.read(item, metadata, limits);
    } catch (ImageFormatException e) {
      throw new FrameReadException(file.toString(), e.file().equals(file) ? e.reason() : e.getMessage(), e);
    } catch (IOException | RuntimeException e) {
      throw new FrameReadException(file.toString(), e.getMessage() != null ? e.getMessage() : e.toString(), e);
    }
  }

  @Override
  public boolean isExhausted() {
    return false;
  }

  @Override
  public void close() {
    subscription.close();
  }
}
