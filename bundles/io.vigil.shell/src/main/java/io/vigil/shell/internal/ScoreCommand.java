package io.vigil.shell.internal;

import io.vigil.cli.SavedModels;
import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.image.Image;
import io.vigil.api.detector.DetectionException;
import io.vigil.cli.Errors;
import io.vigil.image.DecodeLimits;
import io.vigil.image.Heatmaps;
import io.vigil.image.ImageFormatException;
import io.vigil.image.ImageSize;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./vigil score}: raw score, normalised score and decision per image, optionally heatmaps. */
@Component(property = Command.NAME_PROPERTY + "=score")
public class ScoreCommand implements Command {
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Score(context);
  }

  @picocli.CommandLine.Command(name = "score",
      description = {"Score images with a trained model: raw and normalised score, OK/NOK, heatmaps.",
          "Prints per image: raw score, normalised score and decision (OK / NOK at the model's threshold)."})
  final class Score implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a model directory written by ./vigil train")
    Path model;
    @Option(names = "--models", paramLabel = "DIR", description = "directory with the pretrained backbone weights")
    Path models;
    @Option(names = "--heatmap", paramLabel = "OUT", description = "also write OUT/<image name>.png: the anomaly map over the image")
    Path heatmap;
    @Option(names = "--max-side", paramLabel = "PX", defaultValue = "" + DEFAULT_MAX_SIDE,
        description = {"decode an image with a longer side subsampled by a whole factor to at most PX (default ${DEFAULT-VALUE};"
            + " 0: full resolution). The detector sees its input size (224 px by default) either way; the map and"
            + " heatmap are at the decoded size."})
    int maxSide;
    @Option(names = "--max-pixels", paramLabel = "N",
        description = "refuse image files whose header claims more pixels (default: the vigil.image.max.pixels property, else 16384 x 16384)")
    long maxPixels;
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "the images to score")
    List<String> images;

    Score(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Path modelDirectory = context.workingDirectory().resolve(model).normalize();
      if (maxSide < 0 || maxPixels < 0) {
        context.err().println("vigil score: --max-side and --max-pixels must not be negative");
        return 2;
      }
      return score(context, modelDirectory, models == null ? null : context.workingDirectory().resolve(models),
          heatmap == null ? null : context.workingDirectory().resolve(heatmap), DecodeLimits.of(maxPixels, maxSide),
          images);
    }
  }

  /** Says so when the image was decoded below its stored size, so the map's scale is known; empty otherwise. */
  private static String reduction(Path file, Image decoded) {
    try {
      ImageSize stored = ImageFiles.readSize(file);
      if (stored.width() == decoded.width() && stored.height() == decoded.height()) {
        return "";
      }
      return String.format(Locale.ROOT, "  (decoded at %dx%d of %dx%d)", decoded.width(), decoded.height(),
          stored.width(), stored.height());
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  /**
   * A 12,000 px scan decodes at a third (4,000 px): 16 MB of grey samples instead of 144 MB
   * and a 64 MB map instead of 576 MB, while the backbone still gets more pixels than its input.
   */
  static final int DEFAULT_MAX_SIDE = 4096;

  private int score(CommandContext context, Path modelDirectory, Path backboneWeights, Path heatmaps,
      DecodeLimits limits, List<String> names) throws Exception {
    Detector detector;
    try {
      detector = SavedModels.load(factories, modelDirectory, backboneWeights);
    } catch (ModelException e) {
      context.err().println("vigil score: " + e.getMessage());
      return 1;
    }
    int failures = 0;
    try {
      Calibration calibration = detector.calibration();
      context.out().printf(Locale.ROOT, "%-50s %12s %10s  %s%n", "image", "raw", "normalised", "decision");
      for (String name : names) {
        Path file = context.workingDirectory().resolve(name);
        try {
          Image image = ImageFiles.read(file, limits);
          Detection detection = detector.detect(image);
          if (heatmaps != null) {
            String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            ImageFiles.writePng(Heatmaps.overlay(image, detection.map(), calibration), heatmaps.resolve(base + ".png"));
          }
          context.out().printf(Locale.ROOT, "%-50s %12.5f %10.3f  %s%s%n", name, detection.rawScore(),
              detection.normalizedScore(), detection.decision(), reduction(file, image));
        } catch (ImageFormatException e) {
          failures++;
          context.err().println(name + ": " + e.reason());
        } catch (IOException | DetectionException | RuntimeException e) {
          // One line per image that fails, never a stack trace: the other images are still scored.
          failures++;
          context.err().println(name + ": " + Errors.describe(e));
        }
      }
    } finally {
      SavedModels.close(detector);
    }
    return failures == 0 ? 0 : 1;
  }

}
