package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detection;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.image.Image;
import io.vigil.image.Heatmaps;
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
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "the images to score")
    List<String> images;

    Score(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Path modelDirectory = context.workingDirectory().resolve(model).normalize();
      return score(context, modelDirectory, models == null ? null : context.workingDirectory().resolve(models),
          heatmap == null ? null : context.workingDirectory().resolve(heatmap), images);
    }
  }

  private int score(CommandContext context, Path modelDirectory, Path backboneWeights, Path heatmaps, List<String> names)
      throws Exception {
    Detector detector;
    try {
      detector = Models.load(factories, modelDirectory, backboneWeights);
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
          Image image = ImageFiles.read(file);
          Detection detection = detector.detect(image);
          context.out().printf(Locale.ROOT, "%-50s %12.5f %10.3f  %s%n", name, detection.rawScore(),
              detection.normalizedScore(), detection.decision());
          if (heatmaps != null) {
            String base = file.getFileName().toString().replaceFirst("\\.[^.]+$", "");
            ImageFiles.writePng(Heatmaps.overlay(image, detection.map(), calibration), heatmaps.resolve(base + ".png"));
          }
        } catch (IOException e) {
          failures++;
          context.err().println(name + ": " + e.getMessage());
        }
      }
    } finally {
      Models.close(detector);
    }
    return failures == 0 ? 0 : 1;
  }

}
