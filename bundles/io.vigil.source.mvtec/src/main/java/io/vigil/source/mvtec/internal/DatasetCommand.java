package io.vigil.source.mvtec.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentSkipListMap;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import picocli.CommandLine.Parameters;

/**
 * {@code ./vigil dataset PATH}: which format a directory is in, its categories or splits, and per
 * split how many images are good, defective (by type) and unlabelled. Reads names and image
 * headers only (masks are checked against their images' sizes).
 */
@Component(property = Command.NAME_PROPERTY + "=dataset")
public class DatasetCommand implements Command {
  private final Map<ServiceReference<DatasetFormat>, DatasetFormat> formats =
      new ConcurrentSkipListMap<>(Comparator.reverseOrder());

  @Reference(
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void bindFormat(ServiceReference<DatasetFormat> reference, DatasetFormat format) {
    formats.put(reference, format);
  }

  void unbindFormat(ServiceReference<DatasetFormat> reference) {
    formats.remove(reference);
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Dataset(context);
  }

  @picocli.CommandLine.Command(name = "dataset",
      description = {"Show a data set's format, categories, splits and image counts (checks masks).",
          "Shows which data set format PATH is in (mvtec-ad, mvtec-3d-ad, mvtec-ad-2, visa, folder), its categories "
              + "when it is a whole data set, else its splits with good, defective and unlabelled image counts. "
              + "Defective images still without a mask are counted and named (the first " + LISTED_WITHOUT_MASK
              + "), masks of the wrong size are reported as errors."})
  final class Dataset implements Callable<Integer> {
    private final CommandContext context;

    @Parameters(index = "0", paramLabel = "PATH", description = "a data set, a category or a folder")
    Path path;

    Dataset(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws IOException {
      return show(context, context.workingDirectory().resolve(path).normalize());
    }
  }

  private int show(CommandContext context, Path root) throws IOException {
    DatasetFormat format = List.copyOf(formats.values()).stream().filter(f -> f.recognizes(root)).findFirst().orElse(null);
    if (format == null) {
      context.err().println("dataset: " + root + " is in no known layout (" + String.join(", ",
          formats.values().stream().map(DatasetFormat::name).toList()) + ")");
      return 1;
    }
    PrintStream out = context.out();
    out.println(root + ": " + format.name());
    try {
      List<String> categories = format.categories(root);
      if (!categories.isEmpty()) {
        out.println(categories.size() + " categories: " + String.join(", ", categories));
        return 0;
      }
      int failures = 0;
      for (String split : format.splits(root)) {
        try {
          if (format instanceof LayoutFormat layout) {
            LayoutFormat.Survey survey = layout.survey(root, split);
            out.println("  " + split + ": " + summary(survey.items()) + withoutMask(survey.withoutMask()));
          } else {
            out.println("  " + split + ": " + summary(format.items(root, split)));
          }
        } catch (IOException e) {
          out.println("  " + split + ": ERROR " + e.getMessage());
          failures++;
        } catch (UnsupportedOperationException e) {
          out.println("  " + split + ": (the format cannot count without decoding)");
        }
      }
      return failures == 0 ? 0 : 1;
    } catch (IOException e) {
      context.err().println("dataset: " + e.getMessage());
      return 1;
    }
  }

  /** Shown at most, of the images without a mask; the count says how many there are in all. */
  static final int LISTED_WITHOUT_MASK = 10;

  /** ", 2 defective without a mask: test/crack/003.png, test/crack/004.png", or "" when every mask is there. */
  static String withoutMask(List<String> ids) {
    if (ids.isEmpty()) {
      return "";
    }
    String listed = String.join(", ", ids.subList(0, Math.min(ids.size(), LISTED_WITHOUT_MASK)));
    return ", " + ids.size() + " defective without a mask: " + listed
        + (ids.size() > LISTED_WITHOUT_MASK ? " and " + (ids.size() - LISTED_WITHOUT_MASK) + " more" : "");
  }

  static String summary(List<DatasetItem> items) {
    long good = items.stream().filter(i -> i.labelled() && !i.anomalous()).count();
    long unlabelled = items.stream().filter(i -> !i.labelled()).count();
    Map<String, Integer> defects = new TreeMap<>();
    items.stream().filter(DatasetItem::anomalous).forEach(i -> defects.merge(i.defectType(), 1, Integer::sum));
    int defective = defects.values().stream().mapToInt(Integer::intValue).sum();
    StringBuilder line = new StringBuilder().append(items.size()).append(" images");
    if (good > 0) {
      line.append(", ").append(good).append(" good");
    }
    if (defective > 0) {
      line.append(", ").append(defective).append(" defective ").append(defects);
    }
    if (unlabelled > 0) {
      line.append(", ").append(unlabelled).append(" unlabelled");
    }
    return line.toString();
  }
}
