package io.vigil.dataset.synthetic.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.dataset.synthetic.SyntheticDataset;
import io.vigil.dataset.synthetic.SyntheticDataset.Spec;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/** {@code ./vigil generate-dataset DIR}: writes the synthetic data set the demo uses. */
@Component(property = {
    Command.NAME_PROPERTY + "=generate-dataset",
    Command.SUMMARY_PROPERTY + "=Write a small synthetic MVTec-layout data set (scratches, holes, stains, with masks)"
})
public class GenerateDatasetCommand implements Command {

  @Override
  public String usage() {
    Spec d = Spec.defaults();
    return String.join(System.lineSeparator(),
        "Usage: ./vigil generate-dataset DIR [--kind surface|logical] [--seed N] [--size PX] [--train N] [--test-good N]",
        "                                [--test-defects N]",
        "Writes a data set in the MVTec AD layout: train/good, test/good, test/<type> and",
        "ground_truth/<type>/<name>_mask.png. The same options give the same images everywhere.",
        "  --kind K          surface (default): textured metal with scratch, hole, stain;",
        "                    logical: assembled boards with a component missing, duplicated or swapped, or a screw missing",
        "  --seed N          (default " + d.seed() + ")",
        "  --size PX         square image side (default " + d.size() + ")",
        "  --train N         defect-free training images (default " + d.trainGood() + ")",
        "  --test-good N     defect-free test images (default " + d.testGood() + ")",
        "  --test-defects N  test images per defect type (default " + d.testPerDefect() + ")");
  }

  @Override
  public int run(List<String> arguments, CommandContext context) throws Exception {
    Path root = null;
    Spec d = Spec.defaults();
    long seed = d.seed();
    int size = d.size();
    int train = d.trainGood();
    int testGood = d.testGood();
    int testDefects = d.testPerDefect();
    SyntheticDataset.Kind kind = SyntheticDataset.Kind.SURFACE;
    try {
      for (int i = 0; i < arguments.size(); i++) {
        String argument = arguments.get(i);
        switch (argument) {
          case "--seed" -> seed = Long.parseLong(value(arguments, ++i, argument));
          case "--size" -> size = Integer.parseInt(value(arguments, ++i, argument));
          case "--train" -> train = Integer.parseInt(value(arguments, ++i, argument));
          case "--test-good" -> testGood = Integer.parseInt(value(arguments, ++i, argument));
          case "--test-defects" -> testDefects = Integer.parseInt(value(arguments, ++i, argument));
          case "--kind" -> kind = kind(value(arguments, ++i, argument));
          default -> {
            if (argument.startsWith("--") || root != null) {
              throw new IllegalArgumentException("unexpected argument '" + argument + "'");
            }
            root = Path.of(argument);
          }
        }
      }
      if (root == null) {
        throw new IllegalArgumentException("DIR is missing");
      }
      Spec spec = new Spec(seed, size, train, testGood, testDefects, kind);
      Path target = context.workingDirectory().resolve(root).normalize();
      PrintStream out = context.out();
      boolean written = SyntheticDataset.generate(target, spec, (done, total) -> {
        if (done == total || done % 20 == 0) {
          out.printf("  %d/%d images%n", done, total);
        }
      });
      out.println((written ? "Generated " : "Already there, kept: ") + spec.imageCount() + " images in " + target);
      return 0;
    } catch (NumberFormatException e) {
      context.err().println("vigil generate-dataset: not a number: " + e.getMessage());
      context.err().println(usage());
      return 2;
    } catch (IllegalArgumentException e) {
      context.err().println("vigil generate-dataset: " + e.getMessage());
      context.err().println(usage());
      return 2;
    }
  }

  private static SyntheticDataset.Kind kind(String value) {
    for (SyntheticDataset.Kind kind : SyntheticDataset.Kind.values()) {
      if (kind.name().equalsIgnoreCase(value)) {
        return kind;
      }
    }
    throw new IllegalArgumentException("--kind is surface or logical, not '" + value + "'");
  }

  private static String value(List<String> arguments, int index, String option) {
    if (index >= arguments.size()) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return arguments.get(index);
  }
}
