package io.vigil.source.folder.internal;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;

/**
 * Any folder of images as an unlabelled data set. Split {@value #ALL} is every image, recursively;
 * each sub-folder with images is a split of its own ("good" for a folder of good parts). Ranked
 * below every real layout, since it recognises them all.
 */
@Component(
    service = DatasetFormat.class,
    property = {DatasetFormat.NAME_PROPERTY + "=" + FolderFormat.NAME, Constants.SERVICE_RANKING + ":Integer=-100"})
public class FolderFormat implements DatasetFormat {
  static final String NAME = "folder";
  static final String ALL = "all";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean recognizes(Path root) {
    if (!Files.isDirectory(root)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(root)) {
      return files.anyMatch(ImageFileNames::isImage);
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  @Override
  public List<String> splits(Path root) throws IOException {
    requireDirectory(root);
    List<String> splits = new ArrayList<>(List.of(ALL));
    try (Stream<Path> entries = Files.list(root)) {
      for (Path sub : entries.filter(Files::isDirectory).sorted().toList()) {
        if (!sub.getFileName().toString().startsWith(".") && recognizes(sub)) {
          splits.add(sub.getFileName().toString());
        }
      }
    }
    return splits;
  }

  @Override
  public List<DatasetItem> items(Path root, String split) throws IOException {
    List<String> splits = splits(root);
    if (!splits.contains(split)) {
      throw new NoSuchFileException(root.resolve(split).toString(), null,
          "the folder " + root + " has no split '" + split + "'; its splits are " + String.join(", ", splits));
    }
    FolderLayout layout = new FolderLayout(root, true, "", "", "");
    if (ALL.equals(split)) {
      return layout.list();
    }
    // Ids stay relative to the data set root, so frames of different splits never share one.
    return layout.list().stream().filter(item -> item.id().startsWith(split + "/")).toList();
  }

  @Override
  public ImageSource open(Path root, String split) throws IOException {
    List<DatasetItem> items = items(root, split);
    return new ListedFolderSource(NAME + ":" + root.getFileName() + "/" + split, items,
        Map.of(NAME_PROPERTY, NAME, "split", split));
  }

  private static void requireDirectory(Path root) throws NoSuchFileException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "no such image folder");
    }
  }
}
