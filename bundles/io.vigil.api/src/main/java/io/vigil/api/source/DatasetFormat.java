package io.vigil.api.source;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A data set layout on disk (MVTec AD, VisA, a plain folder of images), registered as a service
 * with {@link #NAME_PROPERTY}. Training and evaluation commands ask each registered format
 * whether it recognises a directory, then open the split they need. When several formats recognise
 * the same directory (a plain folder recognises any directory with images), the one with the
 * highest {@code service.ranking} is the most specific.
 */
@ConsumerType
public interface DatasetFormat {
  /** Service property: the format's name, e.g. "mvtec". */
  String NAME_PROPERTY = "vigil.dataset.format";

  String name();

  /** True when {@code root} is laid out in this format. Cheap: looks at names, reads no image. */
  boolean recognizes(Path root);

  /** The splits present under {@code root}, e.g. [train, test]. */
  List<String> splits(Path root) throws IOException;

  /**
   * A finite source over one split. Frames of labelled splits carry their ground truth (label,
   * defect type and mask; an all-zero mask for good frames).
   *
   * @throws IOException when the split is missing or its layout is broken (an image without its
   *     mask, a mask of another size); the message names the file
   */
  ImageSource open(Path root, String split) throws IOException;

  /**
   * The categories under a whole-data-set root (MVTec AD's bottle, cable, ...), each a directory
   * name that {@link #open} and {@link #items} accept as {@code root.resolve(category)}; empty when
   * {@code root} is a single category. Cheap: looks at names only.
   */
  default List<String> categories(Path root) throws IOException {
    return List.of();
  }

  /**
   * The images of one split in the order {@link #open} delivers them, with their labels and mask
   * files, without decoding anything.
   *
   * @throws IOException as {@link #open} does: a missing split, an image without its mask
   * @throws UnsupportedOperationException when the format cannot list without decoding
   */
  default List<DatasetItem> items(Path root, String split) throws IOException {
    throw new UnsupportedOperationException(name() + " does not list its items");
  }
}
