package io.vigil.dataset.capture;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.image.ImageFileNames;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;

/**
 * The folder of an MVTec AD data set that captured images go into ({@code train/good},
 * {@code test/good} or {@code test/<type>}). Images are numbered on from the highest number
 * already there (000.png, 001.png, ...), and a file that exists is never replaced, even when
 * another writer takes a number at the same moment.
 */
public final class CaptureFolder {
  private static final Pattern TYPE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]*");
  private static final Pattern NUMBERED = Pattern.compile("(\\d+)\\.([A-Za-z]+)");
  /** MVTec AD's width: 000.png; more digits only when the numbers need them. */
  private static final int MIN_DIGITS = 3;

  private final Path root;
  private final String split;
  private final String type;
  private final Path directory;

  private CaptureFolder(Path root, String split, String type) {
    this.root = root;
    this.split = split;
    this.type = type;
    this.directory = root.resolve(split).resolve(type);
  }

  /**
   * The folder {@code as} ("train/good", "test/good" or "test/TYPE") of the data set at
   * {@code root}, with the layout's folders created: {@code train/good}, {@code test} and
   * {@code ground_truth}, so the data set is recognised as MVTec AD from its first image on.
   *
   * @throws IllegalArgumentException for any other {@code as}
   */
  public static CaptureFolder create(Path root, String as) throws IOException {
    CaptureFolder folder = parse(root, as);
    Files.createDirectories(root.resolve("train").resolve(GroundTruth.GOOD));
    Files.createDirectories(root.resolve("test"));
    Files.createDirectories(root.resolve("ground_truth"));
    Files.createDirectories(folder.directory);
    return folder;
  }

  /** Checks {@code as} without touching the disk. */
  public static CaptureFolder parse(Path root, String as) {
    String[] parts = as.replace('\\', '/').split("/");
    if (parts.length != 2) {
      throw new IllegalArgumentException("--as must be train/good, test/good or test/TYPE, not '" + as + "'");
    }
    String split = parts[0];
    String type = parts[1];
    boolean valid = switch (split) {
      case "train" -> GroundTruth.GOOD.equals(type);
      case "test" -> TYPE.matcher(type).matches() && !type.equals("ground_truth");
      default -> false;
    };
    if (!valid) {
      throw new IllegalArgumentException("--as must be train/good, test/good or test/TYPE (TYPE of letters, digits, "
          + "'_', '-', '.'), not '" + as + "'");
    }
    return new CaptureFolder(root, split, type);
  }

  public Path directory() {
    return directory;
  }

  /** "train/good", "test/scratch": the folder relative to the data set. */
  public String name() {
    return split + "/" + type;
  }

  public Path root() {
    return root;
  }

  /** The number the next image gets: one above the highest numbered image file there (0 when none). */
  public int nextNumber() throws IOException {
    int next = 0;
    for (Path file : existing()) {
      Matcher numbered = NUMBERED.matcher(file.getFileName().toString());
      if (numbered.matches()) {
        next = Math.max(next, Integer.parseInt(numbered.group(1)) + 1);
      }
    }
    return next;
  }

  /** Digits of the names: MVTec's three, or as many as the widest numbered name there. */
  private int digits() throws IOException {
    int digits = MIN_DIGITS;
    for (Path file : existing()) {
      Matcher numbered = NUMBERED.matcher(file.getFileName().toString());
      if (numbered.matches()) {
        digits = Math.max(digits, numbered.group(1).length());
      }
    }
    return digits;
  }

  private List<Path> existing() throws IOException {
    return ImageFileNames.list(directory);
  }

  /**
   * Writes {@code image} as the next numbered PNG, losslessly (16-bit stays 16-bit): encoded to a
   * hidden file first, then linked under its number in one step that fails if the name is taken,
   * in which case the next free number is tried. Readers never see a half-written image.
   *
   * @return the file written
   */
  public Path write(Image image) throws IOException {
    Path partial = Files.createTempFile(directory, ".capture-", ".png.part");
    try {
      if (!ImageIO.write(ImageFiles.toLosslessBufferedImage(image), "png", partial.toFile())) {
        throw new IOException("no PNG writer for " + image);
      }
      int number = nextNumber();
      while (true) {
        Path target = directory.resolve(String.format(Locale.ROOT, "%0" + digits() + "d.png", number));
        try {
          publish(partial, target);
          return target;
        } catch (FileAlreadyExistsException taken) {
          number = Math.max(number + 1, nextNumber());
        }
      }
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  /** Puts {@code partial} at {@code target}, failing when {@code target} exists. */
  public static void publish(Path partial, Path target) throws IOException {
    try {
      // A hard link is created atomically and never replaces: the name is ours or the call fails.
      Files.createLink(target, partial);
    } catch (UnsupportedOperationException noLinks) {
      // A file system without hard links: a move without REPLACE_EXISTING still refuses a taken name.
      Files.move(partial, target);
    }
  }
}
