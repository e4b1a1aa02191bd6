package io.vigil.source.mvtec.internal;

import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ItemFrameStream;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** A finite source over items listed once; each stream decodes them as it goes. */
final class ListedSource implements ImageSource {
  private final String name;
  private final List<DatasetItem> items;
  private final Function<DatasetItem, Map<String, String>> metadata;

  ListedSource(String name, List<DatasetItem> items, Function<DatasetItem, Map<String, String>> metadata) {
    this.name = name;
    this.items = List.copyOf(items);
    this.metadata = metadata;
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
    return new ItemFrameStream(items, metadata);
  }
}
