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
import java.util.concurrent.Callable;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil benchmark-backbone}: feature extraction time per image at batch 1 and 8, the
 * median of repeated runs after warm-up.
 */
@Component(property = Command.NAME_PROPERTY + "=benchmark-backbone")
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
  public Callable<Integer> newCommand(CommandContext context) {
    return new Benchmark(context);
  }

  @picocli.CommandLine.Command(name = "benchmark-backbone",
      description = {"Time feature extraction (ms per image, batch 1 and 8, median of runs).",
          "Times the backbone's default feature taps on random images: milliseconds per image for batch 1 and 8, "
              + "median over --runs after --warmup runs, at --size x --size."})
  final class Benchmark implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--models", paramLabel = "DIR", description = "directory with the backbone weights")
    Path models;
    @Option(names = "--backbone", paramLabel = "NAME", defaultValue = MobileNetV2Factory.NAME,
        description = "the backbone (default: ${DEFAULT-VALUE})")
    String backbone;
    @Option(names = "--size", paramLabel = "N", defaultValue = "224", description = "image side (default: ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--runs", paramLabel = "N", defaultValue = "20", description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "3", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup;

    Benchmark(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      return benchmark(context, models == null ? null : context.workingDirectory().resolve(models), backbone, size,
          Math.max(1, runs), Math.max(0, warmup));
    }
  }

  private int benchmark(CommandContext context, Path models, String backboneName, int size, int runs, int warmup)
      throws Exception {
    BackboneFactory factory = BackboneCommands.find(() -> factories, backboneName);
    PrintStream out = context.out();
    try (Backbone backbone = factory.load(models);
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
