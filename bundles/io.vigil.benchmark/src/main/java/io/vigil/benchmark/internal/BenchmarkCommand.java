package io.vigil.benchmark.internal;

import io.vigil.cli.SavedModels;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.profile.DetectorProfile;
import io.vigil.api.image.Image;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneFactory;
import io.vigil.backbone.InputBatcher;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.apache.commons.io.file.PathUtils;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;

/**
 * {@code ./vigil benchmark}: how close a model runs to what this machine's engine can do. In one
 * process it measures the engine's matrix-product rate, counts the model's operations per image
 * from its layers, times it at batch 1 and N (decoded image in, result out) and splits the time
 * into stages. Any detector works through the public Detector API; one that also implements
 * {@link DetectorProfile} gets its operations counted and its backbone timed on its own.
 */
@Component(property = Command.NAME_PROPERTY + "=benchmark")
public class BenchmarkCommand implements Command {
  private static final String DEFAULT_BACKBONE = "mobilenet_v2";
  /** The engine's rate: a large square product, and the SimpleNet head's shape at batch 8. */
  private static final int[][] PRODUCTS = {{2048, 2048, 2048}, {6272, 576, 1024}};

  private final DeepLearningEngine engine;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<DetectorFactory> detectorFactories;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> backboneFactories;

  @Activate
  public BenchmarkCommand(@Reference DeepLearningEngine engine) {
    this.engine = engine;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Benchmark(context);
  }

  @picocli.CommandLine.Command(name = "benchmark",
      description = {"Speed of a model (or the backbone) against the engine's measured matrix-product rate.",
          "Prints the engine's matrix-product rate (GFLOP/s, measured now), the model's operations per image "
              + "(counted from its layers), images/s and ms/image at batch 1 and N, the achieved GFLOP/s and its "
              + "fraction of the product rate, the stage split (decode, resize, backbone, head + map "
              + "post-processing) at batch N, and one line for scripts:",
          "  benchmark: images_per_second=X ms_per_image=Y model_gflop=Z achieved_gflops=A gemm_gflops=G fraction=F",
          "Without --model it times the backbone's default features (MobileNetV2 taps block_6_expand, "
              + "block_13_expand). Times are medians of --runs after --warmup runs."})
  final class Benchmark implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--model", paramLabel = "DIR", description = "a saved model (default: the backbone alone)")
    Path model;
    @Option(names = "--batch", paramLabel = "N", defaultValue = "8", description = "the larger batch (default: ${DEFAULT-VALUE})")
    int batch;
    @Option(names = "--runs", paramLabel = "N", defaultValue = "10", description = "timed runs (default: ${DEFAULT-VALUE})")
    int runs;
    @Option(names = "--warmup", paramLabel = "N", defaultValue = "2", description = "untimed runs first (default: ${DEFAULT-VALUE})")
    int warmup;
    @Option(names = "--models", paramLabel = "DIR", description = "where the backbone weights are")
    Path models;
    @Option(names = "--images", paramLabel = "DIR", description = "decode the first N images of DIR (default: random grey PNGs)")
    Path images;
    @Option(names = "--size", paramLabel = "N", defaultValue = "224", description = "side of the random images (default: ${DEFAULT-VALUE})")
    int size;

    Benchmark(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      return run(this, context);
    }
  }

  private int run(Benchmark flags, CommandContext context) throws Exception {
    int batch = Math.max(1, flags.batch);
    int runs = Math.max(1, flags.runs);
    int warmup = Math.max(0, flags.warmup);
    Path workingDirectory = context.workingDirectory();
    Path models = flags.models == null ? null : workingDirectory.resolve(flags.models);
    Path imagesFolder = flags.images == null ? null : workingDirectory.resolve(flags.images);
    PrintStream out = context.out();

    Path imageFolder = Files.createTempDirectory("vigil-benchmark-");
    Detector detector = null;
    Backbone backbone = null;
    try (NDManager manager = engine.newManager()) {
      List<Path> files = imageFiles(imagesFolder, imageFolder, batch, flags.size);
      List<Image> images = new ArrayList<>();
      for (Path file : files) {
        images.add(ImageFiles.read(file));
      }
      out.printf(Locale.ROOT, "machine: %s, %d cores, load %s%n", Figures.cpu(), Runtime.getRuntime().availableProcessors(),
          Figures.load());
      out.println("engine: " + engine.description());

      double gemm = Double.NaN;
      for (int[] product : PRODUCTS) {
        double rate = productRate(manager, product[0], product[1], product[2], Math.min(runs, 5));
        out.printf(Locale.ROOT, "matrix product %dx%d by %dx%d (NDArray.dot, float32): %.1f GFLOP/s%n", product[0],
            product[1], product[1], product[2], rate);
        gemm = Double.isNaN(gemm) ? rate : gemm;
        if (Thread.currentThread().isInterrupted()) {
          return 130;
        }
      }

      Path modelOption = flags.model;
      DetectorProfile profile = null;
      String backboneName = DEFAULT_BACKBONE;
      if (modelOption != null) {
        detector = SavedModels.load(detectorFactories, workingDirectory.resolve(modelOption), models);
        if (detector instanceof DetectorProfile p) {
          profile = p;
          backboneName = p.backbone();
        }
      }
      if (detector == null || profile != null) {
        backbone = backboneFactory(backboneName).load(models);
      }
      List<String> taps = profile != null ? profile.taps() : backbone != null ? backbone.defaultTaps() : List.of();
      int size = profile != null ? profile.inputSize() : backbone != null ? backbone.nativeInputSize() : 0;

      double modelFlops = Double.NaN;
      String what;
      if (backbone != null) {
        modelFlops = backbone.flops(taps, size, size);
        modelFlops = modelFlops < 0 ? Double.NaN : modelFlops;
        double headFlops = 0;
        if (profile != null) {
          headFlops = profile.headFlopsPerCell() * (double) cells(manager, backbone, taps, size);
        }
        what = (detector != null ? detector.algorithm() + " model " + detector.name() + " on " : "")
            + backbone.name() + " taps " + String.join("+", taps) + " at " + size + "x" + size;
        out.printf(Locale.ROOT, "model: %s: %.3f GFLOP per image (backbone %.3f + head %.3f), counted from the"
            + " convolution and dense layers%n", what, (modelFlops + headFlops) / 1e9, modelFlops / 1e9, headFlops / 1e9);
        modelFlops += headFlops;
      } else {
        what = detector.algorithm() + " model " + detector.name();
        out.println("model: " + what + ": operations unknown (the detector does not implement "
            + DetectorProfile.class.getName() + ")");
      }
      out.printf(Locale.ROOT, "images: %d, %dx%d %s%n", images.size(), images.get(0).width(), images.get(0).height(),
          flags.images != null ? "from " + flags.images : "random grey");

      Workload workload = detector != null ? detectorWorkload(detector)
          : backboneWorkload(manager, backbone, taps, size);
      out.println("batch  ms/image  images/s  GFLOP/s  fraction");
      Map<Integer, Double> msPerImage = new LinkedHashMap<>();
      for (int b : batch == 1 ? new int[] {1} : new int[] {1, batch}) {
        List<Image> input = images.subList(0, b);
        double ms = time(runs, warmup, () -> workload.run(input)) / b;
        msPerImage.put(b, ms);
        double achieved = modelFlops / 1e9 * 1000 / ms;
        out.printf(Locale.ROOT, "%5d  %8.2f  %8.2f  %7.2f  %8.3f%n", b, ms, 1000 / ms, achieved, achieved / gemm);
        if (Thread.currentThread().isInterrupted()) {
          return 130;
        }
      }

      Stages stages = stages(manager, workload, backbone, images.subList(0, batch), files.subList(0, batch), taps, size,
          runs, warmup);
      out.printf(Locale.ROOT, "stages at batch %d, ms per image (medians of runs that time each stage in turn):"
          + " decode %.2f", batch, stages.decode / batch);
      if (backbone != null) {
        out.printf(Locale.ROOT, ", resize %.2f, backbone %.2f, head + map post-processing %s%n", stages.resize / batch,
            stages.backbone / batch, detector == null ? "none (backbone only)"
                : String.format(Locale.ROOT, "%.2f (end to end minus resize and backbone, run by run)",
                    stages.rest / batch));
      } else {
        out.printf(Locale.ROOT, ", detection %.2f (not split: the detector does not implement %s)%n",
            stages.endToEnd / batch, DetectorProfile.class.getSimpleName());
      }
      double ms = msPerImage.get(batch);
      out.println(Figures.summaryLine(1000 / ms, ms, modelFlops / 1e9, gemm));
      return 0;
    } finally {
      if (backbone != null) {
        backbone.close();
      }
      SavedModels.close(detector);
      PathUtils.deleteDirectory(imageFolder);
    }
  }

  /** One timed unit of work: a batch of decoded images to results, finished (the engine is asynchronous). */
  @FunctionalInterface
  private interface Workload {
    void run(List<Image> images) throws Exception;
  }

  @FunctionalInterface
  private interface Work {
    void run() throws Exception;
  }

  private static Workload detectorWorkload(Detector detector) {
    return detector::detect;
  }

  private static Workload backboneWorkload(NDManager manager, Backbone backbone, List<String> taps, int size) {
    InputBatcher batcher = new InputBatcher(); // as a detector keeps one
    return images -> {
      try (NDManager scope = manager.newSubManager()) {
        waitFor(backbone.features(batcher.batch(scope, images, size, size), taps));
      }
    };
  }

  private static void waitFor(NDList arrays) {
    for (NDArray array : arrays) {
      array.sum().getFloat();
    }
  }

  /** Median milliseconds of {@code runs} runs after {@code warmup}. */
  private static double time(int runs, int warmup, Work work) throws Exception {
    double[] millis = new double[runs];
    for (int run = -warmup; run < runs; run++) {
      long start = System.nanoTime();
      work.run();
      if (run >= 0) {
        millis[run] = (System.nanoTime() - start) / 1e6;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
    }
    return Figures.median(millis);
  }

  /** Median milliseconds per batch of each stage; "rest" is end to end minus resize and backbone. */
  private record Stages(double decode, double resize, double backbone, double endToEnd, double rest) {}

  /**
   * Times the stages one after the other within each run, so that a change of load on a shared
   * machine hits them alike, and takes the median of each and of the per-run remainder. The
   * backbone runs on a copy of the resized batch made outside its timing.
   */
  private static Stages stages(NDManager manager, Workload workload, Backbone backbone, List<Image> images,
      List<Path> files, List<String> taps, int size, int runs, int warmup) throws Exception {
    double[] decode = new double[runs];
    double[] resize = new double[runs];
    double[] features = new double[runs];
    double[] endToEnd = new double[runs];
    double[] rest = new double[runs];
    InputBatcher batcher = new InputBatcher();
    for (int run = -warmup; run < runs; run++) {
      long start = System.nanoTime();
      for (Path file : files) {
        ImageFiles.read(file);
      }
      long decoded = System.nanoTime();
      workload.run(images);
      long scored = System.nanoTime();
      double resizeMillis = 0;
      double backboneMillis = 0;
      if (backbone != null) {
        try (NDManager scope = manager.newSubManager()) {
          long resizeStart = System.nanoTime();
          NDArray rgb = batcher.batch(scope, images, size, size);
          rgb.sum().getFloat();
          resizeMillis = (System.nanoTime() - resizeStart) / 1e6;
          NDArray copy = rgb.duplicate();
          copy.sum().getFloat();
          long backboneStart = System.nanoTime();
          waitFor(backbone.features(copy, taps));
          backboneMillis = (System.nanoTime() - backboneStart) / 1e6;
        }
      }
      if (run >= 0) {
        decode[run] = (decoded - start) / 1e6;
        endToEnd[run] = (scored - decoded) / 1e6;
        resize[run] = resizeMillis;
        features[run] = backboneMillis;
        rest[run] = endToEnd[run] - resizeMillis - backboneMillis;
      }
      if (Thread.currentThread().isInterrupted()) {
        throw new InterruptedException();
      }
    }
    return new Stages(Figures.median(decode), Figures.median(resize), Figures.median(features),
        Figures.median(endToEnd), Math.max(0, Figures.median(rest)));
  }

  /** GFLOP/s of (m x k) by (k x n) through the engine's NDArray API. */
  private static double productRate(NDManager manager, int m, int k, int n, int runs) throws Exception {
    try (NDManager scope = manager.newSubManager()) {
      NDArray a = scope.randomUniform(-1f, 1f, new Shape(m, k));
      NDArray b = scope.randomUniform(-1f, 1f, new Shape(k, n));
      a.sum().getFloat();
      b.sum().getFloat();
      double ms = time(runs, 1, () -> {
        try (NDManager inner = scope.newSubManager()) {
          NDArray c = a.dot(b);
          c.attach(inner);
          c.get(0, 0).getFloat();
        }
      });
      return Figures.gflops(2.0 * m * k * n, ms);
    }
  }

  /** Cells of the first tap's grid at this input size, as the backbone computes it. */
  private static long cells(NDManager manager, Backbone backbone, List<String> taps, int size) {
    try (NDManager scope = manager.newSubManager()) {
      Shape shape = backbone.features(scope.zeros(new Shape(1, 3, size, size)), taps.subList(0, 1)).get(0).getShape();
      return shape.get(2) * shape.get(3);
    }
  }


  private BackboneFactory backboneFactory(String name) {
    return backboneFactories.stream().filter(f -> f.name().equals(name)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no backbone '" + name + "' installed; available: "
            + backboneFactories.stream().map(BackboneFactory::name).toList()));
  }

  /** The files decoded in the run: --images DIR's first ones (repeated up to the batch), or random grey PNGs. */
  private static List<Path> imageFiles(Path folder, Path temp, int batch, int size) throws IOException {
    List<Path> files = new ArrayList<>();
    if (folder != null) {
      try (Stream<Path> list = Files.list(folder)) {
        files.addAll(list.filter(Files::isRegularFile).sorted().limit(batch).toList());
      }
      if (files.isEmpty()) {
        throw new IllegalArgumentException("no images in " + folder);
      }
      for (int i = 0; files.size() < batch; i++) {
        files.add(files.get(i));
      }
      return files;
    }
    Random random = new Random(0);
    for (int i = 0; i < batch; i++) {
      byte[] pixels = new byte[size * size];
      random.nextBytes(pixels);
      Path file = temp.resolve("image-" + i + ".png");
      ImageFiles.writePng(Image.of8Bit(size, size, 1, pixels), file);
      files.add(file);
    }
    return files;
  }
}
