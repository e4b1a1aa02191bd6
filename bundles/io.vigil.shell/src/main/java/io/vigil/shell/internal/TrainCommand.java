package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import io.vigil.cli.Errors;
import io.vigil.cli.ProgressBar;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;

/** {@code ./vigil train}: trains a detector on the good images of a data set with a progress bar. */
@Component(property = Command.NAME_PROPERTY + "=train")
public class TrainCommand implements Command {
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<Map.Entry<Map<String, Object>, DatasetFormat>> formats;

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Train(context);
  }

  @picocli.CommandLine.Command(name = "train",
      description = {"Train a detector on good images (an MVTec AD category or a folder).",
          "Trains on the good images of DIR: an MVTec AD category (its train/good is used) or a folder of images. "
              + "Writes the model directory OUT (refused if it exists and is not empty); nothing is written on "
              + "failure or Ctrl-C."})
  final class Train implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the good images: a category or a folder")
    Path data;
    @Option(names = "--model", required = true, paramLabel = "OUT", description = "the model directory to write")
    Path model;
    @Option(names = "--algorithm", paramLabel = "NAME", defaultValue = "simplenet",
        description = "the detector factory to train with: simplenet, patchcore, efficientad, ... (default: ${DEFAULT-VALUE})")
    String algorithm;

    /** The old name of --algorithm, kept for existing scripts. */
    @Option(names = "--detector", paramLabel = "NAME", hidden = true)
    void detector(String name) {
      algorithm = name;
    }
    @Option(names = "--epochs", paramLabel = "N", description = "training epochs (default: the algorithm's)")
    Integer epochs;
    @Option(names = "--input-size", paramLabel = "N", description = "model input side in pixels, e.g. 224, 288, 320")
    Integer inputSize;
    @Option(names = "--models", paramLabel = "DIR", description = "directory with the pretrained backbone weights")
    Path models;
    @Option(names = "--name", paramLabel = "NAME", description = "detector name (default: OUT's directory name)")
    String name;
    @Option(names = "--set", paramLabel = "KEY=VALUE",
        description = "any other hyper-parameter, repeatable, e.g. --set noise.std=0.02")
    Map<String, String> set = new LinkedHashMap<>();

    Train(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Path data = context.workingDirectory().resolve(this.data).normalize();
      Path model = context.workingDirectory().resolve(this.model).normalize();
      Map<String, Object> parameters = new LinkedHashMap<>();
      if (epochs != null) {
        parameters.put("epochs", epochs);
      }
      if (inputSize != null) {
        parameters.put("input.size", inputSize);
      }
      if (models != null) {
        parameters.put("models", context.workingDirectory().resolve(models).normalize().toString());
      }
      if (name != null) {
        parameters.put("name", name);
      }
      set.forEach((key, value) -> parameters.put(key.trim(), value.trim()));
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
      ProgressBar bar = new ProgressBar(context.err(), context.interactive(), null);
      TrainingMonitor monitor = bar.trainingMonitor();
      context.out().println("Training " + algorithm + " on " + source.name() + " (" + data + ") into " + model);
      long start = System.nanoTime();
      Detector detector;
      try {
        detector = factory.train(source, parameters, model, monitor);
      } catch (TrainingException e) {
        bar.finish();
        context.err().println("vigil train: " + Errors.describe(e));
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
}
