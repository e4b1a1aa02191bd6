package io.vigil.ui.views.annotate.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.image.ImageFileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The defective test images of an MVTec AD data set ({@code test/<type>/NAME.png}, any type but
 * good) and where each one's mask is or goes ({@code ground_truth/<type>/NAME_mask.png}). Reads
 * names only. Immutable: {@link #reload} lists the folder again.
 */
final class AnnotationSet {
  /** Which images the list shows. */
  enum Filter { ALL, WITHOUT_MASK, WITH_MASK }

  /** One test image: {@code id} is "type/NAME.png". */
  record Entry(String type, Path image, Path mask, boolean hasMask) {
    String id() {
      return type + "/" + image.getFileName();
    }
  }

  private final Path root;
  private final List<Entry> entries;

  private AnnotationSet(Path root, List<Entry> entries) {
    this.root = root;
    this.entries = List.copyOf(entries);
  }

  /**
   * Lists {@code root/test}'s defect folders.
   *
   * @throws NoSuchFileException when there is no {@code test} folder (not a data set in the MVTec AD layout)
   */
  static AnnotationSet open(Path root) throws IOException {
    Path test = root.resolve("test");
    if (!Files.isDirectory(test)) {
      throw new NoSuchFileException(test.toString(), null,
          "no test folder: the annotate view opens a data set in the MVTec AD layout (test/<type>/, ground_truth/<type>/)");
    }
    List<Entry> entries = new ArrayList<>();
    try (Stream<Path> types = Files.list(test)) {
      for (Path folder : types.filter(Files::isDirectory).sorted().toList()) {
        String type = folder.getFileName().toString();
        if (type.equals(GroundTruth.GOOD) || type.startsWith(".")) {
          continue; // good images have no mask
        }
        Path masks = root.resolve("ground_truth").resolve(type);
        for (Path image : ImageFileNames.list(folder)) {
          String stem = ImageFileNames.stem(image);
          Path existing = ImageFileNames.findSibling(masks, stem, "_mask");
          Path mask = existing != null ? existing : masks.resolve(stem + "_mask.png");
          entries.add(new Entry(type, image, mask, existing != null));
        }
      }
    }
    return new AnnotationSet(root, entries);
  }

  AnnotationSet reload() throws IOException {
    return open(root);
  }

  Path root() {
    return root;
  }

  /** The defect types, sorted. */
  List<String> types() {
    return entries.stream().map(Entry::type).distinct().toList();
  }

  /** The entries shown for a filter and, when {@code type} is not null, of that type only. */
  List<Entry> entries(Filter filter, String type) {
    return entries.stream()
        .filter(e -> type == null || e.type().equals(type))
        .filter(e -> switch (filter) {
          case ALL -> true;
          case WITH_MASK -> e.hasMask();
          case WITHOUT_MASK -> !e.hasMask();
        })
        .toList();
  }

  /** The mask file a new mask is written to: PNG, whatever an existing mask's format. */
  static Path saveTarget(Entry entry) {
    Path mask = entry.mask();
    String stem = ImageFileNames.stem(mask);
    return mask.resolveSibling(stem + ".png");
  }
}
