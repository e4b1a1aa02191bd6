package io.vigil.source.folder.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.source.DatasetItem;
import io.vigil.image.ImageFileNames;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Which files of a folder are images and which are their masks, and how each becomes a data set
 * item. Without a mask rule images are unlabelled. With one ({@code <stem><suffix>.png} beside the
 * image, or under a mask folder mirroring the image folders), an image with a mask file is
 * defective, with the type of the sub-folder it lies in ("defect" at the top), and an image without
 * one is good.
 */
final class FolderLayout {
  static final String DEFAULT_DEFECT = "defect";

  private final Path root;
  private final boolean recursive;
  private final PathMatcher include;
  private final String maskSuffix;
  private final Path maskFolder;

  /**
   * @param include    a glob on the file name ("*.png"); blank for every image extension
   * @param maskSuffix blank for no masks
   * @param maskFolder blank for masks beside their images, else a folder (relative to root or
   *                   absolute) mirroring the image sub-folders
   */
  FolderLayout(Path root, boolean recursive, String include, String maskSuffix, String maskFolder) {
    this.root = root.toAbsolutePath().normalize();
    this.recursive = recursive;
    this.include = include == null || include.isBlank() ? null : FileSystems.getDefault().getPathMatcher("glob:" + include.trim());
    this.maskSuffix = maskSuffix == null ? "" : maskSuffix.trim();
    this.maskFolder = maskFolder == null || maskFolder.isBlank() || this.maskSuffix.isEmpty()
        ? null : this.root.resolve(maskFolder.trim()).normalize();
  }

  Path root() {
    return root;
  }

  boolean recursive() {
    return recursive;
  }

  boolean hasMasks() {
    return !maskSuffix.isEmpty();
  }

  /** True for a file this source delivers as a frame: an image, included, not a mask. */
  boolean isImage(Path file) {
    Path name = file.getFileName();
    if (name == null || !ImageFileNames.isImage(file)) {
      return false;
    }
    if (include != null && !include.matches(name)) {
      return false;
    }
    if (!maskSuffix.isEmpty()) {
      if (maskFolder != null && file.toAbsolutePath().normalize().startsWith(maskFolder)) {
        return false;
      }
      if (maskFolder == null && ImageFileNames.stem(file).endsWith(maskSuffix)) {
        return false;
      }
    }
    return true;
  }

  /** Every image under the root (sub-folders when recursive), sorted by relative path. */
  List<DatasetItem> list() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "no such image folder");
    }
    try (Stream<Path> files = Files.walk(root, recursive ? Integer.MAX_VALUE : 1)) {
      return files.filter(this::isImage).filter(Files::isRegularFile)
          .sorted(Comparator.comparing(this::relative))
          .map(this::item).toList();
    }
  }

  /** The item for one image file, with its label when a mask rule is set. */
  DatasetItem item(Path image) {
    Path absolute = image.toAbsolutePath().normalize();
    String id = relative(absolute);
    if (maskSuffix.isEmpty()) {
      return new DatasetItem(id, absolute, null, null);
    }
    Path mask = maskOf(absolute);
    if (mask == null) {
      return new DatasetItem(id, absolute, GroundTruth.GOOD, null);
    }
    Path parent = root.relativize(absolute).getParent();
    String type = parent == null ? DEFAULT_DEFECT : parent.getFileName().toString();
    return new DatasetItem(id, absolute, GroundTruth.GOOD.equals(type) ? DEFAULT_DEFECT : type, mask);
  }

  /** The image's path relative to the root, with '/'. */
  String relative(Path file) {
    return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
  }

  private Path maskOf(Path image) {
    Path directory = image.getParent();
    if (maskFolder != null) {
      Path relativeDirectory = root.relativize(directory);
      directory = maskFolder.resolve(relativeDirectory.toString());
    }
    return ImageFileNames.findSibling(directory, ImageFileNames.stem(image), maskSuffix);
  }
}
