package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code ./vigil train}: trains a detector on the good images of a data set with a progress bar. */
@Component(property = {
    Command.NAME_PROPERTY + "=train",
    Command.SUMMARY_PROPERTY + "=Train a detector on good images (an MVTec AD category or a folder)"
})
public class TrainCommand implements Command {
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<Map.Entry<Map<String, Object>, DatasetFormat>> formats;

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil train --data DIR --model OUT [--algorithm simplenet|patchcore|efficientad] [--epochs N] [--input-size N]",
        "                     [--models DIR] [--name NAME] [--set KEY=VALUE]...",
        "Trains on the good images of DIR: an MVTec AD category (its train/good is used) or a folder of images.",
        "Writes the model directory OUT (refused if it exists and is not empty); nothing is written on failure",
        "or Ctrl-C.",
        "  --algorithm    the detector factory to train with, default simplenet (--detector is the same)",
        "  --epochs N     training epochs (default: the algorithm's)",
        "  --input-size N model input side in pixels, e.g. 224, 288, 320",
        "  --models DIR   directory with the pretrained backbone weights",
        "  --name NAME    detector name (default: OUT's directory name)",
        "  --set K=V      any other hyper-parameter, e.g. --set noise.std=0.02");
  }

  @Override
  public int run(List<String> arguments, CommandContext context) throws Exception {
    Options options;
    Path data;
    Path model;
    Map<String, Object> parameters = new LinkedHashMap<>();
    try {
      options = Options.parse(arguments,
          Set.of("data", "model", "algorithm", "detector", "epochs", "input-size", "models", "name", "set"), Set.of());
      data = options.path("data", context.workingDirectory());
      model = options.path("model", context.workingDirectory());
      if (data == null || model == null || !options.positional().isEmpty()) {
        throw new IllegalArgumentException("--data and --model are required; no other arguments");
      }
      if (options.has("epochs")) {
        parameters.put("epochs", options.integer("epochs", 0));
      }
      if (options.has("input-size")) {
        parameters.put("input.size", options.integer("input-size", 0));
      }
      if (options.has("models")) {
        parameters.put("models", options.path("models", context.workingDirectory()).toString());
      }
      if (options.has("name")) {
        parameters.put("name", options.get("name"));
      }
      for (String assignment : options.all("set")) {
        int equals = assignment.indexOf('=');
        if (equals <= 0) {
          throw new IllegalArgumentException("--set needs KEY=VALUE, not '" + assignment + "'");
        }
        parameters.put(assignment.substring(0, equals).trim(), assignment.substring(equals + 1).trim());
      }
    } catch (IllegalArgumentException e) {
      context.err().println("vigil train: " + e.getMessage());
      context.err().println(usage());
      return 2;
    }
    // --algorithm as in ./vigil demo; --detector kept for existing scripts.
    String algorithm = options.get("algorithm") != null ? options.get("algorithm")
        : options.get("detector") != null ? options.get("detector") : "simplenet";
    DetectorFactory factory = factories.stream().filter(f -> f.algorithm().equals(algorithm)).findFirst().orElse(null);
    if (factory == null) {
      context.err().println("vigil train: no detector '" + algorithm + "' installed; installed: "
          + factories.stream().map(DetectorFactory::algorithm).toList());
      return 2;
    }
    ImageSource source;
    try {
      source = Datasets.open(Datasets.byRanking(formats), data, "train");
    } catch (IOException e) {
      context.err().println("vigil train: " + e.getMessage());
      return 1;
    }
    ConsoleProgress bar = new ConsoleProgress(context.err(), context.interactive());
    TrainingMonitor monitor = (TrainingProgress p) -> bar.update(p.phase(), p.step(), p.totalSteps(),
        Double.isNaN(p.loss()) ? "" : String.format(Locale.ROOT, "loss %.4f", p.loss()), p.elapsed(), p.remaining());
    context.out().println("Training " + algorithm + " on " + source.name() + " (" + data + ") into " + model);
    long start = System.nanoTime();
    Detector detector;
    try {
      detector = factory.train(source, parameters, model, monitor);
    } catch (TrainingException e) {
      bar.finish();
      context.err().println("vigil train: " + CommandLine.describe(e));
      return 1;
    } catch (InterruptedException | CancellationException e) {
      bar.finish();
      context.err().println("vigil train: stopped; no model was written");
      return 130;
    }
    bar.finish();
    context.out().printf(Locale.ROOT, "Model '%s' written to %s in %.1f s%n", detector.name(), model,
        (System.nanoTime() - start) / 1e9);
    context.out().printf(Locale.ROOT, "Calibration: threshold %.5f (raw score), normalisation location %.5f scale %.5f%n",
        detector.calibration().threshold(), detector.calibration().location(), detector.calibration().scale());
    return 0;
  }
}
