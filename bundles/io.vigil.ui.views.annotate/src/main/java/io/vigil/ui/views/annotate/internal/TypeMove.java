package io.vigil.ui.views.annotate.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.image.ImageFileNames;
import io.vigil.ui.views.annotate.internal.AnnotationSet.Entry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Moves a test image to another defect type, or to good, and its mask with it: to
 * {@code test/<type>/} and {@code ground_truth/<type>/} under the same name when it is free, else
 * under the next number there. A mask of an image moved to good is deleted (good images have none).
 * Nothing is ever replaced.
 */
final class TypeMove {
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern NUMBERED = Pattern.compile("(\\d+)\\.[A-Za-z]+");

  private TypeMove() {}

  /**
   * @return the image where it is now, with its mask ({@code hasMask} false after a move to good)
   * @throws IllegalArgumentException for a type that is no folder name, or the image's own type
   */
  static Entry move(Path root, Entry entry, String type) throws IOException {
    if (!TYPE.matcher(type).matches() || type.equals("ground_truth")) {
      throw new IllegalArgumentException("a type is a folder name of letters, digits, '_', '-', '.': not '" + type + "'");
    }
    if (type.equals(entry.type())) {
      throw new IllegalArgumentException(entry.id() + " is already of type " + type);
    }
    Path folder = Files.createDirectories(root.resolve("test").resolve(type));
    Path image = folder.resolve(freeName(folder, entry.image().getFileName().toString()));
    Files.move(entry.image(), image); // no REPLACE_EXISTING: a name taken meanwhile fails
    String stem = ImageFileNames.stem(image);
    boolean good = type.equals(GroundTruth.GOOD);
    Path mask = root.resolve("ground_truth").resolve(type)
        .resolve(stem + "_mask." + ImageFileNames.extension(entry.mask().getFileName().toString()));
    if (entry.hasMask()) {
      try {
        if (good) {
          Files.delete(entry.mask());
        } else {
          Files.createDirectories(mask.getParent());
          Files.move(entry.mask(), mask);
        }
      } catch (IOException e) {
        Files.move(image, entry.image()); // the image goes back to its mask
        throw e;
      }
    }
    return new Entry(type, image, mask, entry.hasMask() && !good);
  }

  /** {@code name} when no image of that stem is in {@code folder}, else the next number there. */
  static String freeName(Path folder, String name) throws IOException {
    String extension = ImageFileNames.extension(name);
    String stem = ImageFileNames.stem(Path.of(name));
    int next = 0;
    int digits = 3;
    boolean taken = false;
    for (Path existing : ImageFileNames.list(folder)) {
      String existingName = existing.getFileName().toString();
      taken |= ImageFileNames.stem(existing).equals(stem);
      Matcher numbered = NUMBERED.matcher(existingName);
      if (numbered.matches()) {
        next = Math.max(next, Integer.parseInt(numbered.group(1)) + 1);
        digits = Math.max(digits, numbered.group(1).length());
      }
    }
    return taken ? String.format(Locale.ROOT, "%0" + digits + "d.%s", next, extension) : name;
  }
}
