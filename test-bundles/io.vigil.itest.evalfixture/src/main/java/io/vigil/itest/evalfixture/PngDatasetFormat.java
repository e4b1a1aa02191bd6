package io.vigil.itest.evalfixture;

import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;

/**
 * Data sets marked with a {@value #MARKER} file, in the MVTec AD layout: SPLIT/DEFECT/NAME.png
 * with masks in ground_truth/DEFECT/NAME_mask.png (the real format is io.vigil.source.mvtec).
 */
@Component(property = DatasetFormat.NAME_PROPERTY + "=fixture-png")
public class PngDatasetFormat implements DatasetFormat {
  static final String MARKER = "fixture-dataset";

  @Override
  public String name() {
    return "fixture-png";
  }

  @Override
  public boolean recognizes(Path root) {
    return Files.isRegularFile(root.resolve(MARKER));
  }

  @Override
  public List<String> splits(Path root) {
    return Stream.of("train", "test").filter(split -> Files.isDirectory(root.resolve(split))).toList();
  }

  @Override
  public ImageSource open(Path root, String split) throws IOException {
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root.resolve(split))) {
      files = walk.filter(p -> p.toString().endsWith(".png")).sorted().toList();
    }
    return new ImageSource() {
      @Override
      public String name() {
        return "fixture-" + split;
      }

      @Override
      public boolean isFinite() {
        return true;
      }

      @Override
      public FrameStream open() {
        return new FrameStream() {
          private int next;

          @Override
          public Frame next(Duration timeout) throws FrameReadException {
            if (next >= files.size()) {
              return null;
            }
            Path file = files.get(next++);
            String defect = file.getParent().getFileName().toString();
            try {
              Image image = ImageFiles.read(file);
              boolean good = defect.equals(GroundTruth.GOOD);
              Mask mask = good ? Mask.empty(image.width(), image.height()) : ImageFiles.readMask(
                  root.resolve("ground_truth").resolve(defect).resolve(file.getFileName().toString().replace(".png", "_mask.png")));
              GroundTruth truth = good ? GroundTruth.good(mask) : GroundTruth.defect(defect, mask);
              return new Frame(root.relativize(file).toString(), Instant.now(), file.toString(), image, truth, Map.of());
            } catch (IOException e) {
              throw new FrameReadException(file.toString(), e.getMessage(), e);
            }
          }

          @Override
          public boolean isExhausted() {
            return next >= files.size();
          }

          @Override
          public OptionalInt size() {
            return OptionalInt.of(files.size());
          }

          @Override
          public void close() {}
        };
      }
    };
  }
}
