package io.vigil.dataset.synthetic;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.dataset.synthetic.internal.Surfaces;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;

/**
 * Writes a small data set in the MVTec AD layout: textured surfaces, defect-free in
 * {@code train/good} and {@code test/good}, and with one synthetic scratch, hole or stain each in
 * {@code test/<type>}, their masks in {@code ground_truth/<type>/<name>_mask.png}. The same spec
 * gives the same bytes on every machine, so a demo or a test can rely on it.
 */
public final class SyntheticDataset {
  /** The defect types, in the order their folders are written. */
  public static final List<String> DEFECT_TYPES = List.of("scratch", "hole", "stain");
  /** Written last into the root: its presence means the data set is complete. */
  public static final String MARKER = "synthetic-dataset.properties";

  private SyntheticDataset() {}

  /**
   * What to generate.
   *
   * @param seed          every image follows from it
   * @param size          image side in pixels (square images)
   * @param trainGood     defect-free training images
   * @param testGood      defect-free test images
   * @param testPerDefect test images per defect type
   */
  public record Spec(long seed, int size, int trainGood, int testGood, int testPerDefect, Kind kind) {
    public Spec(long seed, int size, int trainGood, int testGood, int testPerDefect) {
      this(seed, size, trainGood, testGood, testPerDefect, Kind.SURFACE);
    }

    public Spec {
      java.util.Objects.requireNonNull(kind, "kind");
      if (size < 32 || size > 2048) {
        throw new IllegalArgumentException("image size must be 32..2048 pixels, not " + size);
      }
      if (trainGood < 1 || testGood < 0 || testPerDefect < 0) {
        throw new IllegalArgumentException("need at least one training image and no negative counts: "
            + trainGood + ", " + testGood + ", " + testPerDefect);
      }
    }

    /** The demo's data set: 128 px, 40 training images, 10 good and 6 per defect type to test. */
    public static Spec defaults() {
      return new Spec(7, 128, 40, 10, 6);
    }

    public int imageCount() {
      return trainGood + testGood + testPerDefect * kind.defectTypes().size();
    }

    Properties toProperties() {
      Properties properties = new Properties();
      properties.setProperty("format", "mvtec-ad");
      properties.setProperty("generator", "io.vigil.dataset.synthetic 1");
      properties.setProperty("seed", Long.toString(seed));
      properties.setProperty("size", Integer.toString(size));
      properties.setProperty("train.good", Integer.toString(trainGood));
      properties.setProperty("test.good", Integer.toString(testGood));
      properties.setProperty("test.per.defect", Integer.toString(testPerDefect));
      if (kind != Kind.SURFACE) {
        properties.setProperty("kind", kind.name().toLowerCase(Locale.ROOT));
      }
      return properties;
    }
  }

  /**
   * What the parts look like and how they fail. SURFACE: textured metal with scratches, holes and
   * stains. LOGICAL: assembled boards whose defects are structural (a component missing,
   * duplicated or swapped, a screw missing), for detectors of logical anomalies. LAYOUT: small
   * parts far apart on a plain board, whose defects (a part missing or duplicated, two swapped in
   * position or colour, a wrong count of screws) are wrong only in relation to parts far away.
   */
  public enum Kind {
    SURFACE(DEFECT_TYPES), LOGICAL(io.vigil.dataset.synthetic.internal.LogicalParts.DEFECT_TYPES),
    LAYOUT(io.vigil.dataset.synthetic.internal.LayoutBoards.DEFECT_TYPES);

    private final List<String> defectTypes;

    Kind(List<String> defectTypes) {
      this.defectTypes = defectTypes;
    }

    /** The defect types, in the order their folders are written. */
    public List<String> defectTypes() {
      return defectTypes;
    }
  }

  /** One generated image with its ground truth (an empty mask for good images). */
  public record Sample(Image image, GroundTruth truth) {}

  /** Told after each image written. */
  @FunctionalInterface
  public interface Progress {
    Progress NONE = (done, total) -> {};

    void imageWritten(int done, int total);
  }

  /** The image of one item, computed, not read: {@code type} is "good" or a defect type. */
  public static Sample sample(Spec spec, String split, String type, int index) {
    return switch (spec.kind()) {
      case LOGICAL -> io.vigil.dataset.synthetic.internal.LogicalParts.sample(spec.seed(), spec.size(), split, type, index);
      case LAYOUT -> io.vigil.dataset.synthetic.internal.LayoutBoards.sample(spec.seed(), spec.size(), split, type, index);
      case SURFACE -> Surfaces.sample(spec.seed(), spec.size(), split, type, index);
    };
  }

  /** The file name of item {@code index}: 000.png, 001.png, ... */
  public static String fileName(int index) {
    return String.format(Locale.ROOT, "%03d.png", index);
  }

  /** True when {@code root} holds a complete data set generated from {@code spec}. */
  public static boolean isComplete(Path root, Spec spec) throws IOException {
    Path marker = root.resolve(MARKER);
    if (!Files.isRegularFile(marker)) {
      return false;
    }
    Properties written = new Properties();
    try (InputStream in = Files.newInputStream(marker)) {
      written.load(in);
    }
    return written.equals(spec.toProperties());
  }

  /**
   * Generates the data set into {@code root}, which must not exist yet or be empty; files are
   * written into a temporary sibling folder and moved into place at the end, so an interrupted run
   * leaves nothing half-made at {@code root}. A root that already holds a complete data set of the
   * same spec is kept as it is.
   *
   * @return true when images were written, false when the existing data set was reused
   * @throws FileAlreadyExistsException when {@code root} holds something else
   */
  public static boolean generate(Path root, Spec spec, Progress progress) throws IOException, InterruptedException {
    root = root.toAbsolutePath().normalize();
    if (isComplete(root, spec)) {
      return false;
    }
    if (Files.exists(root) && !isEmptyDirectory(root)) {
      throw new FileAlreadyExistsException(root.toString(), null, Files.isRegularFile(root.resolve(MARKER))
          ? "holds a synthetic data set of another spec; delete it or choose another folder"
          : "exists and is not empty; choose a new folder for the generated data set");
    }
    Files.createDirectories(root.getParent());
    Path partial = Files.createTempDirectory(root.getParent(), "." + root.getFileName() + ".partial-");
    try {
      writeAll(partial, spec, progress);
      try (OutputStream out = Files.newOutputStream(partial.resolve(MARKER))) {
        spec.toProperties().store(out, "Generated by Vigil; delete this folder to regenerate");
      }
      if (Files.exists(root)) {
        Files.delete(root); // empty, checked above
      }
      Files.move(partial, root, StandardCopyOption.ATOMIC_MOVE);
      return true;
    } finally {
      if (Files.exists(partial)) {
        PathUtils.deleteDirectory(partial);
      }
    }
  }

  private static void writeAll(Path root, Spec spec, Progress progress) throws IOException, InterruptedException {
    record Item(String split, String type, int index) {}
    List<Item> items = new ArrayList<>();
    for (int i = 0; i < spec.trainGood(); i++) {
      items.add(new Item("train", GroundTruth.GOOD, i));
    }
    for (int i = 0; i < spec.testGood(); i++) {
      items.add(new Item("test", GroundTruth.GOOD, i));
    }
    for (String type : spec.kind().defectTypes()) {
      for (int i = 0; i < spec.testPerDefect(); i++) {
        items.add(new Item("test", type, i));
      }
    }
    int done = 0;
    for (Item item : items) {
      if (Thread.interrupted()) {
        throw new InterruptedException("data set generation interrupted");
      }
      Sample sample = sample(spec, item.split(), item.type(), item.index());
      ImageFiles.writePng(sample.image(), root.resolve(item.split()).resolve(item.type()).resolve(fileName(item.index())));
      if (sample.truth().anomalous()) {
        Path mask = root.resolve("ground_truth").resolve(item.type())
            .resolve(String.format(Locale.ROOT, "%03d_mask.png", item.index()));
        ImageFiles.writePng(maskImage(sample.truth().mask()), mask);
      }
      progress.imageWritten(++done, items.size());
    }
  }

  /** A mask as MVTec stores it: 8-bit grey, 255 on defect pixels, 0 elsewhere. */
  static Image maskImage(Mask mask) {
    byte[] samples = new byte[mask.width() * mask.height()];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = mask.isDefect(i) ? (byte) 255 : 0;
    }
    return Image.of8Bit(mask.width(), mask.height(), 1, samples);
  }

  private static boolean isEmptyDirectory(Path path) throws IOException {
    if (!Files.isDirectory(path)) {
      return false;
    }
    try (Stream<Path> entries = Files.list(path)) {
      return entries.findAny().isEmpty();
    }
  }
}
