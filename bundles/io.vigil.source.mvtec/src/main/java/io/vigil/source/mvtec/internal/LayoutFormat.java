package io.vigil.source.mvtec.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import io.vigil.api.source.ImageSource;
import io.vigil.image.DatasetFrames;
import io.vigil.image.ImageFileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * What the directory-based formats share: a root is either one category or a whole data set whose
 * sub-directories are categories; splits are listed by name, masks found beside the images and
 * checked against them from the file headers.
 */
abstract class LayoutFormat implements DatasetFormat {

  /** A human name for messages: "MVTec AD". */
  abstract String title();

  /** True when {@code directory} is one category in this layout. Looks at names only. */
  abstract boolean isCategory(Path directory);

  /** The splits of a category, in their usual order. */
  abstract List<String> categorySplits(Path category) throws IOException;

  /**
   * The items of an existing split, in delivery order, each with its label and mask file.
   *
   * @param missing told of each defective image without its mask (and may refuse it)
   * @throws IOException naming the image whose mask is missing, when {@code missing} refuses it
   */
  abstract List<DatasetItem> listSplit(Path category, String split, MissingMasks missing) throws IOException;

  /** What happens to a defective image whose mask is not there. */
  @FunctionalInterface
  interface MissingMasks {
    /** Refuses the split, naming the image and where its mask was looked for: what sources need. */
    MissingMasks REFUSE = (category, image, expectedMask) -> {
      throw new NoSuchFileException(expectedMask.toString(), null,
          "the defective image " + id(category, image) + " has no mask");
    };

    /** Told of the image; returning keeps it as a defective item without a mask. */
    void missing(Path category, Path image, Path expectedMask) throws IOException;
  }

  /** A split's items as listed, and the ids of the defective ones whose mask is missing. */
  record Survey(List<DatasetItem> items, List<String> withoutMask) {}

  /**
   * The items of a split like {@link #items}, but a defective image without its mask is counted
   * and named instead of refusing the split: what an annotator wants to know. The masks there are
   * checked against their images' sizes as {@link #items} does.
   */
  Survey survey(Path root, String split) throws IOException {
    requireSplit(root, split);
    List<String> withoutMask = new java.util.ArrayList<>();
    List<DatasetItem> items = listSplit(root, split, (category, image, expectedMask) -> withoutMask.add(id(category, image)));
    for (DatasetItem item : items) {
      if (item.mask() != null) {
        DatasetFrames.checkMaskSize(item);
      }
    }
    return new Survey(items, List.copyOf(withoutMask));
  }

  /** What {@link #isCategory} looks for, for the message when a root is not recognised. */
  abstract String expectedLayout();

  @Override
  public boolean recognizes(Path root) {
    if (!Files.isDirectory(root)) {
      return false;
    }
    try {
      return isCategory(root) || !categoryDirectories(root).isEmpty();
    } catch (IOException e) {
      return false;
    }
  }

  @Override
  public List<String> categories(Path root) throws IOException {
    requireDirectory(root);
    if (isCategory(root)) {
      return List.of();
    }
    return categoryDirectories(root).stream().map(d -> d.getFileName().toString()).toList();
  }

  /** The splits of a category; for a whole data set, those of its first category. */
  @Override
  public List<String> splits(Path root) throws IOException {
    requireDirectory(root);
    if (isCategory(root)) {
      return categorySplits(root);
    }
    List<Path> categories = categoryDirectories(root);
    if (categories.isEmpty()) {
      throw notRecognised(root);
    }
    return categorySplits(categories.get(0));
  }

  @Override
  public List<DatasetItem> items(Path root, String split) throws IOException {
    requireSplit(root, split);
    List<DatasetItem> items = listSplit(root, split, MissingMasks.REFUSE);
    for (DatasetItem item : items) {
      DatasetFrames.checkMaskSize(item);
    }
    return items;
  }

  private void requireSplit(Path root, String split) throws IOException {
    requireCategory(root);
    List<String> splits = categorySplits(root);
    if (!splits.contains(split)) {
      throw new NoSuchFileException(root.resolve(split).toString(), null,
          title() + " category " + root.getFileName() + " has no split '" + split + "'; its splits are "
              + String.join(", ", splits));
    }
  }

  @Override
  public ImageSource open(Path root, String split) throws IOException {
    List<DatasetItem> items = items(root, split);
    Map<String, String> metadata = Map.of(
        NAME_PROPERTY, name(), "category", root.getFileName().toString(), "split", split);
    return new ListedSource(name() + ":" + root.getFileName() + "/" + split, items, item -> metadata);
  }

  /** Sub-directories of a whole data set root that are categories, sorted by name. */
  List<Path> categoryDirectories(Path root) throws IOException {
    try (Stream<Path> entries = Files.list(root)) {
      return entries.filter(Files::isDirectory).filter(this::isCategory).sorted().toList();
    }
  }

  private void requireCategory(Path root) throws IOException {
    requireDirectory(root);
    if (isCategory(root)) {
      return;
    }
    List<String> categories = categories(root);
    if (categories.isEmpty()) {
      throw notRecognised(root);
    }
    throw new IOException(root + " is a whole " + title() + " data set; open one of its categories: "
        + String.join(", ", categories) + " (e.g. " + root.resolve(categories.get(0)) + ")");
  }

  private IOException notRecognised(Path root) {
    return new IOException(root + " is not a " + title() + " category or data set: expected " + expectedLayout());
  }

  private static void requireDirectory(Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "no such data set directory");
    }
  }

  // Shared helpers for the layouts.

  /** True when {@code directory} holds at least one image file directly. */
  static boolean hasImages(Path directory) {
    if (!Files.isDirectory(directory)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.anyMatch(ImageFileNames::isImage);
    } catch (IOException e) {
      return false;
    }
  }

  /** The sub-directory names of {@code directory}, sorted. */
  static List<String> subdirectories(Path directory) throws IOException {
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(Files::isDirectory).map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".")).sorted().toList();
    }
  }

  /** The splits among {@code candidates} that exist as directories of {@code category}. */
  static List<String> existing(Path category, String... candidates) {
    List<String> present = new ArrayList<>();
    for (String candidate : candidates) {
      if (Files.isDirectory(category.resolve(candidate))) {
        present.add(candidate);
      }
    }
    return present;
  }

  /** Item id: the path relative to the category root, with '/'. */
  static String id(Path category, Path image) {
    return category.relativize(image).toString().replace('\\', '/');
  }

  /**
   * A labelled item: good images need no mask, a defective one without its mask goes to {@code missing}.
   *
   * @param mask the mask file, null when none was found
   * @param expectedMask where the mask was looked for, for the message
   */
  static DatasetItem labelled(MissingMasks missing, Path category, Path image, String type, Path mask,
      Path expectedMask) throws IOException {
    if (!GroundTruth.GOOD.equals(type) && mask == null) {
      missing.missing(category, image, expectedMask);
    }
    return new DatasetItem(id(category, image), image, type, mask);
  }
}
