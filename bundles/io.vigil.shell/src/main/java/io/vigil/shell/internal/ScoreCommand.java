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
import java.util.Set;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code ./vigil score}: raw score, normalised score and decision per image, optionally heatmaps. */
@Component(property = {
    Command.NAME_PROPERTY + "=score",
    Command.SUMMARY_PROPERTY + "=Score images with a trained model: raw and normalised score, OK/NOK, heatmaps"
})
public class ScoreCommand implements Command {
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil score --model DIR [--models DIR] [--heatmap OUT] IMAGE...",
        "Prints per image: raw score, normalised score and decision (OK / NOK at the model's threshold).",
        "  --model DIR    a model directory written by ./vigil train",
        "  --models DIR   directory with the pretrained backbone weights",
        "  --heatmap OUT  also write OUT/<image name>.png: the anomaly map over the image");
  }

  @Override
  public int run(List<String> arguments, CommandContext context) throws Exception {
    Options options;
    Path modelDirectory;
    try {
      options = Options.parse(arguments, Set.of("model", "models", "heatmap"), Set.of());
      modelDirectory = options.path("model", context.workingDirectory());
      if (modelDirectory == null || options.positional().isEmpty()) {
        throw new IllegalArgumentException("--model and at least one image are required");
      }
    } catch (IllegalArgumentException e) {
      context.err().println("vigil score: " + e.getMessage());
      context.err().println(usage());
      return 2;
    }
    Detector detector;
    try {
      detector = Models.load(factories, modelDirectory, options.path("models", context.workingDirectory()));
    } catch (ModelException e) {
      context.err().println("vigil score: " + e.getMessage());
      return 1;
    }
    Path heatmaps = options.path("heatmap", context.workingDirectory());
    int failures = 0;
    try {
      Calibration calibration = detector.calibration();
      context.out().printf(Locale.ROOT, "%-50s %12s %10s  %s%n", "image", "raw", "normalised", "decision");
      for (String name : options.positional()) {
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
