package io.vigil.shell.internal;

import io.vigil.cli.SavedModels;
import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil benchmark-detector}: end-to-end scoring speed of a trained model (decoded image
 * in, anomaly map at image size and decision out) at batch 1 and 8, median of repeated runs.
 */
@Component(property = Command.NAME_PROPERTY + "=benchmark-detector")
public class BenchmarkDetectorCommand implements Command {
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> factories;

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Benchmark(context);
  }

  @picocli.CommandLine.Command(name = "benchmark-detector",
      description = {"Time a trained model's scoring: images per second at batch 1 and 8.",
          "Scores batches of 1 and 8 images --runs times (after 2 warm-up runs) and prints the median milliseconds "
              + "per image and images per second. Images: the first 8 of --images DIR, or random --size x --size "
              + "grey images."})
  final class Benchmark implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "a saved model directory")
    Path model;
    @Option(names = "--models", paramLabel = "DIR", description = "directory with the pretrained backbone weights")
    Path models;
    @Option(names = "--images", paramLabel = "DIR", description = "take the first 8 images of DIR")
    Path images;
    @Option(names = "--size", paramLabel = "N", defaultValue = "224", description = "side of the random images (default: ${DEFAULT-VALUE})")
    int size;
    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;

    Benchmark(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      Path work = context.workingDirectory();
      return benchmark(context, work.resolve(model), models == null ? null : work.resolve(models),
          images(images == null ? null : work.resolve(images), size), Math.max(1, runs));
    }
  }

  private int benchmark(CommandContext context, Path modelDirectory, Path backboneWeights, List<Image> images, int runs)
      throws Exception {
    Detector detector = SavedModels.load(factories, modelDirectory, backboneWeights);
    try {
      context.out().printf(Locale.ROOT, "%s (%s), %d images %dx%d, %d cores%n", detector.name(), detector.algorithm(),
          images.size(), images.get(0).width(), images.get(0).height(), Runtime.getRuntime().availableProcessors());
      context.out().println("batch  median ms/image  images/s");
      for (int batch : new int[] {1, 8}) {
        List<Image> input = images.subList(0, Math.min(batch, images.size()));
        double[] millisPerImage = new double[runs];
        for (int run = -2; run < runs; run++) {
          long start = System.nanoTime();
          detector.detect(input);
          if (run >= 0) {
            millisPerImage[run] = (System.nanoTime() - start) / 1e6 / input.size();
          }
        }
        Arrays.sort(millisPerImage);
        double median = runs % 2 == 1 ? millisPerImage[runs / 2]
            : (millisPerImage[runs / 2 - 1] + millisPerImage[runs / 2]) / 2;
        context.out().printf(Locale.ROOT, "%5d  %15.1f  %8.1f%n", input.size(), median, 1000 / median);
      }
    } finally {
      SavedModels.close(detector);
    }
    return 0;
  }

  private static List<Image> images(Path folder, int size) throws Exception {
    List<Image> images = new ArrayList<>();
    if (folder != null) {
      try (Stream<Path> files = Files.list(folder)) {
        for (Path file : files.filter(Files::isRegularFile).sorted().limit(8).toList()) {
          images.add(ImageFiles.read(file));
        }
      }
      if (images.isEmpty()) {
        throw new IllegalArgumentException("no images in " + folder);
      }
      while (images.size() < 8) {
        images.add(images.get(images.size() % Math.max(1, images.size())));
      }
      return images;
    }
    Random random = new Random(0);
    for (int i = 0; i < 8; i++) {
      byte[] pixels = new byte[size * size];
      random.nextBytes(pixels);
      images.add(Image.of8Bit(size, size, 1, pixels));
    }
    return images;
  }
}
