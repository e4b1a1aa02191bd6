package io.vigil.source.folder.internal;

import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ItemFrameStream;
import java.util.List;
import java.util.Map;

/** A finite source over images listed once (what the folder data set format opens). */
final class ListedFolderSource implements ImageSource {
  private final String name;
  private final List<DatasetItem> items;
  private final Map<String, String> metadata;

  ListedFolderSource(String name, List<DatasetItem> items, Map<String, String> metadata) {
    this.name = name;
    this.items = List.copyOf(items);
    this.metadata = Map.copyOf(metadata);
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isFinite() {
    return true;
  }

  @Override
  public FrameStream open() {
    return new ItemFrameStream(items, item -> metadata);
  }
}
