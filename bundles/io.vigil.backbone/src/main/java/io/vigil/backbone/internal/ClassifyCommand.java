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
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** {@code ./vigil classify}: top-5 ImageNet classes per image, a quick check of a station's backbone. */
@Component(property = {
    Command.NAME_PROPERTY + "=classify",
    Command.SUMMARY_PROPERTY + "=Top-5 ImageNet classes of images: checks that the backbone on this station is sane"
})
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
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil classify [--models DIR] [--backbone NAME] [--resize nearest|bilinear] IMAGE...",
        "Prints the five most likely ImageNet classes of each image (centre square, 224x224).",
        "  --models DIR   directory with the backbone weights (else VIGIL_MODEL_PATH, ~/.vigil/models)",
        "  --backbone     " + factories.stream().map(BackboneFactory::name).sorted().toList()
            + ", default mobilenet_v2",
        "  --resize       nearest (default, the reference recipe) or bilinear");
  }

  @Override
  public int run(List<String> arguments, CommandContext context) throws Exception {
    BackboneCommands.Arguments args;
    Resampling resampling;
    try {
      args = BackboneCommands.parse(arguments, List.of("models", "backbone", "resize"));
      resampling = Resampling.valueOf(args.option("resize", "nearest").toUpperCase(Locale.ROOT));
      if (args.positional().isEmpty()) {
        throw new IllegalArgumentException("no image given");
      }
    } catch (IllegalArgumentException e) {
      context.err().println("vigil classify: " + e.getMessage());
      context.err().println(usage());
      return 2;
    }
    BackboneFactory factory = BackboneCommands.find(() -> factories, args.option("backbone", MobileNetV2Factory.NAME));
    PrintStream out = context.out();
    int failures = 0;
    try (Backbone backbone = factory.load(args.pathOption("models", context.workingDirectory()));
        NDManager manager = engine.newManager()) {
      List<String> labels = backbone.classLabels();
      for (String name : args.positional()) {
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
