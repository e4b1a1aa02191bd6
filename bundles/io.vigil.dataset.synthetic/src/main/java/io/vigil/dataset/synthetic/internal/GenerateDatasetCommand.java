package io.vigil.dataset.synthetic.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.cli.ProgressBar;
import io.vigil.dataset.synthetic.SyntheticDataset;
import io.vigil.dataset.synthetic.SyntheticDataset.Spec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.osgi.service.component.annotations.Component;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./vigil generate-dataset DIR}: writes the synthetic data set the demo uses. */
@Component(property = Command.NAME_PROPERTY + "=generate-dataset")
public class GenerateDatasetCommand implements Command {

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Generate(context);
  }

  @picocli.CommandLine.Command(name = "generate-dataset",
      description = {"Write a small synthetic MVTec-layout data set (surface or logical defects, with masks).",
          "Writes a data set in the MVTec AD layout: train/good, test/good, test/<type> and "
              + "ground_truth/<type>/<name>_mask.png: textured surfaces with scratch, hole, stain (--kind surface), "
              + "or assembled boards with a component missing, duplicated or swapped, or a screw missing "
              + "(--kind logical), or small parts far apart whose defects are wrong only in relation to each other: "
              + "a part missing or duplicated, swapped in position or colour, a wrong count of screws (--kind layout). "
              + "The same options give the same images everywhere."})
  static final class Generate implements Callable<Integer> {
    private static final Spec DEFAULTS = Spec.defaults();
    private final CommandContext context;

    @Parameters(index = "0", paramLabel = "DIR", description = "where to write the data set")
    Path root;
    @Option(names = "--kind", paramLabel = "K", description = "surface, logical or layout (default: surface)")
    String kind = "surface";
    @Option(names = "--seed", paramLabel = "N", description = "(default: ${DEFAULT-VALUE})")
    long seed = DEFAULTS.seed();
    @Option(names = "--size", paramLabel = "PX", description = "square image side (default: ${DEFAULT-VALUE})")
    int size = DEFAULTS.size();
    @Option(names = "--train", paramLabel = "N", description = "defect-free training images (default: ${DEFAULT-VALUE})")
    int train = DEFAULTS.trainGood();
    @Option(names = "--test-good", paramLabel = "N", description = "defect-free test images (default: ${DEFAULT-VALUE})")
    int testGood = DEFAULTS.testGood();
    @Option(names = "--test-defects", paramLabel = "N", description = "test images per defect type (default: ${DEFAULT-VALUE})")
    int testDefects = DEFAULTS.testPerDefect();

    Generate(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      SyntheticDataset.Kind parsedKind = null;
      for (SyntheticDataset.Kind candidate : SyntheticDataset.Kind.values()) {
        parsedKind = candidate.name().equalsIgnoreCase(kind) ? candidate : parsedKind;
      }
      if (parsedKind == null) {
        context.err().println("vigil generate-dataset: --kind is surface, logical or layout, not '" + kind + "'");
        return 2;
      }
      Spec spec = new Spec(seed, size, train, testGood, testDefects, parsedKind);
      Path target = context.workingDirectory().resolve(root).normalize();
      ProgressBar bar = new ProgressBar(context.err(), context.interactive(), "images");
      boolean written = SyntheticDataset.generate(target, spec, (done, total) -> bar.update("generating", done, total, null));
      bar.finish();
      context.out().println((written ? "Generated " : "Already there, kept: ") + spec.imageCount() + " images in " + target);
      return 0;
    }
  }
}
