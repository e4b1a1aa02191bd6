package io.vigil.image;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/** Which files are images, by name, and how data sets name the files beside them. */
public final class ImageFileNames {
  /** The extensions {@link ImageFiles#read} decodes, lower case. */
  public static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif");

  private ImageFileNames() {}

  /** True for a name with an image extension (any case) that is not hidden (".name"). */
  public static boolean isImage(Path file) {
    String name = file.getFileName().toString();
    return !name.startsWith(".") && EXTENSIONS.contains(extension(name));
  }

  /** The name without its last extension: "000.png" gives "000". */
  public static String stem(Path file) {
    String name = file.getFileName().toString();
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The lower-case extension without the dot, "" when there is none. */
  public static String extension(String name) {
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(dot + 1).toLowerCase(Locale.ROOT) : "";
  }

  /** The image files directly in {@code directory}, sorted by name. */
  public static List<Path> list(Path directory) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new NoSuchFileException(directory.toString(), null, "no such directory");
    }
    try (Stream<Path> entries = Files.list(directory)) {
      return entries.filter(ImageFileNames::isImage).filter(Files::isRegularFile).sorted().toList();
    }
  }

  /**
   * The file named {@code stem + suffix + "." + extension} in {@code directory} for the first image
   * extension that exists, PNG first ("000" + "_mask" finds 000_mask.png); null when none exists.
   */
  public static Path findSibling(Path directory, String stem, String suffix) {
    for (String extension : List.of("png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif")) {
      Path candidate = directory.resolve(stem + suffix + "." + extension);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    return null;
  }
}
