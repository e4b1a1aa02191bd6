package io.vigil.backbone.internal;

import ai.djl.ndarray.NDManager;
import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneFactory;
import io.vigil.backbone.ImageTensors;
import io.vigil.backbone.ImageTensors.Resampling;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./vigil classify}: top-5 ImageNet classes per image, a quick check of a station's backbone. */
@Component(property = Command.NAME_PROPERTY + "=classify")
public class ClassifyCommand implements Command {
  private final DeepLearningEngine engine;

  /** Backbone bundles may come and go: the list is read when the command runs. */
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> factories;

  @Activate
  public ClassifyCommand(@Reference DeepLearningEngine engine) {
    this.engine = engine;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Classify(context);
  }

  @picocli.CommandLine.Command(name = "classify",
      description = {"Top-5 ImageNet classes of images: checks that the backbone on this station is sane.",
          "Prints the five most likely ImageNet classes of each image (centre square, 224x224)."})
  final class Classify implements Callable<Integer> {
    private final CommandContext context;

    @Option(names = "--models", paramLabel = "DIR",
        description = "directory with the backbone weights (else VIGIL_MODEL_PATH, ~/.vigil/models)")
    Path models;
    @Option(names = "--backbone", paramLabel = "NAME", defaultValue = MobileNetV2Factory.NAME,
        description = "the backbone (default: ${DEFAULT-VALUE})")
    String backbone;
    @Option(names = "--resize", paramLabel = "nearest|bilinear", defaultValue = "nearest",
        description = "nearest (default, the reference recipe) or bilinear")
    Resampling resize;
    @Parameters(arity = "1..*", paramLabel = "IMAGE", description = "the images to classify")
    List<String> images;

    Classify(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      return classify(context, models == null ? null : context.workingDirectory().resolve(models), backbone, resize,
          images);
    }
  }

  private int classify(CommandContext context, Path models, String backboneName, Resampling resampling,
      List<String> images) throws Exception {
    BackboneFactory factory = BackboneCommands.find(() -> factories, backboneName);
    PrintStream out = context.out();
    int failures = 0;
    try (Backbone backbone = factory.load(models);
        NDManager manager = engine.newManager()) {
      List<String> labels = backbone.classLabels();
      for (String name : images) {
        Path file = context.workingDirectory().resolve(name);
        try (NDManager scope = manager.newSubManager()) {
          var input = ImageTensors.centerSquare(scope, ImageFiles.read(file), backbone.nativeInputSize(), resampling);
          float[] probabilities = backbone.classProbabilities(input).toFloatArray();
          out.println(name);
          for (int index : topK(probabilities, 5)) {
            String label = index < labels.size() ? labels.get(index) : "class " + index;
            out.printf(Locale.ROOT, "  %.3f  %s%n", probabilities[index], label);
          }
        } catch (IOException e) {
          failures++;
          context.err().println(name + ": " + e.getMessage());
        }
      }
      if (labels.isEmpty()) {
        context.err().println("(no " + MobileNetV2Factory.LABELS_FILE + " found beside the weights: class numbers shown)");
      }
    }
    return failures == 0 ? 0 : 1;
  }

  static int[] topK(float[] values, int k) {
    return java.util.stream.IntStream.range(0, values.length).boxed()
        .sorted((a, b) -> Float.compare(values[b], values[a]))
        .limit(k).mapToInt(Integer::intValue).toArray();
  }
}
