package io.vigil.backbone.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code ./vigil benchmark-backbone}: feature extraction time per image at batch 1 and 8, the
 * median of repeated runs after warm-up.
 */
@Component(property = {
    Command.NAME_PROPERTY + "=benchmark-backbone",
    Command.SUMMARY_PROPERTY + "=Time feature extraction (ms per image, batch 1 and 8, median of runs)"
})
public class BenchmarkBackboneCommand implements Command {
  private final DeepLearningEngine engine;

  /** Backbone bundles may come and go: the list is read when the command runs. */
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> factories;

  @Activate
  public BenchmarkBackboneCommand(@Reference DeepLearningEngine engine) {
    this.engine = engine;
  }

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil benchmark-backbone [--models DIR] [--backbone NAME] [--size N] [--runs N] [--warmup N]",
        "Times the backbone's default feature taps on random images: milliseconds per image for batch 1 and 8,",
        "median over --runs (default 20) after --warmup (default 3) runs, at --size x --size (default 224).");
  }

  @Override
  public int run(List<String> arguments, CommandContext context) throws Exception {
    BackboneCommands.Arguments args;
    try {
      args = BackboneCommands.parse(arguments, List.of("models", "backbone", "size", "runs", "warmup"));
    } catch (IllegalArgumentException e) {
      context.err().println("vigil benchmark-backbone: " + e.getMessage());
      return 2;
    }
    int size = args.intOption("size", 224);
    int runs = Math.max(1, args.intOption("runs", 20));
    int warmup = Math.max(0, args.intOption("warmup", 3));
    BackboneFactory factory = BackboneCommands.find(() -> factories, args.option("backbone", MobileNetV2Factory.NAME));
    PrintStream out = context.out();
    try (Backbone backbone = factory.load(args.pathOption("models", context.workingDirectory()));
        NDManager manager = engine.newManager()) {
      out.printf(Locale.ROOT, "%s, taps %s, %dx%d, %s, %d cores%n", backbone.name(), backbone.defaultTaps(), size, size,
          engine.description(), Runtime.getRuntime().availableProcessors());
      out.println("batch  median ms/batch  median ms/image  images/s");
      for (int batch : new int[] {1, 8}) {
        double[] millis = new double[runs];
        for (int run = -warmup; run < runs; run++) {
          try (NDManager scope = manager.newSubManager()) {
            NDArray images = scope.randomUniform(0f, 1f, new Shape(batch, 3, size, size));
            long start = System.nanoTime();
            NDList features = backbone.features(images, backbone.defaultTaps());
            for (NDArray feature : features) {
              feature.sum().getFloat(); // wait for the (asynchronous) engine to finish
            }
            if (run >= 0) {
              millis[run] = (System.nanoTime() - start) / 1e6;
            }
          }
          if (Thread.currentThread().isInterrupted()) {
            return 130;
          }
        }
        Arrays.sort(millis);
        double median = runs % 2 == 1 ? millis[runs / 2] : (millis[runs / 2 - 1] + millis[runs / 2]) / 2;
        out.printf(Locale.ROOT, "%5d  %15.1f  %15.1f  %8.1f%n", batch, median, median / batch, 1000.0 * batch / median);
      }
    }
    return 0;
  }
}
