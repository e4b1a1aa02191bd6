package io.vigil.report.compare.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.evaluation.EvaluationException;
import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRequest;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.Evaluator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import io.vigil.api.source.DatasetFormat;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * {@code ./vigil compare --model A --model B --data DIR --out OUT}: evaluates each model on the
 * same split (OUT/evaluations/NAME, the usual evaluation report) and writes OUT/report.html with
 * the CSV behind it. {@code --eval DIR} adds an evaluation made before instead of running one.
 */
@Component(property = {
    Command.NAME_PROPERTY + "=compare",
    Command.SUMMARY_PROPERTY + "=Compare models on one data set: one self-contained HTML report with SVG charts"
})
public class CompareCommand implements Command {
  private final Evaluator evaluator;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DetectorFactory> factories;

  /** Data set formats; the best-ranked that recognises the folder opens it. */
  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policyOption = ReferencePolicyOption.GREEDY)
  private volatile List<DatasetFormat> formats;

  @Activate
  public CompareCommand(@Reference Evaluator evaluator) {
    this.evaluator = evaluator;
  }

  @Override
  public String usage() {
    return String.join(System.lineSeparator(),
        "Usage: ./vigil compare [--model DIR ...] [--eval DIR ...] [--train ALGORITHM ...] --data DIR --out OUT",
        "                       [--split NAME] [--overwrite]",
        "Evaluates every model on the same labelled split and writes OUT/report.html: the summary table (image",
        "and pixel AUROC, AU-PRO, F1-max, zero-miss threshold and its false rejects, the model's own threshold",
        "with its misses and false rejects, images/s, training time), all ROC curves on one chart with each",
        "zero-miss point, score distributions, per-defect bars, the hardest images with every model's heatmap,",
        "and the run's facts; one file, nothing fetched. The CSV behind every chart is beside it.",
        "  --model DIR    a saved model; evaluated into OUT/evaluations/<model folder name>",
        "  --eval DIR     an evaluation ./vigil eval wrote before (of the same data set and split)",
        "  --train NAME   train detector NAME (simplenet, patchcore, efficientad, ...) with its defaults on the data",
        "                 set's train split into OUT/models/NAME (kept: a later run reuses it), then evaluate it",
        "  --data DIR     the labelled data set",
        "  --out OUT      the report folder",
        "  --split NAME   the split (default: test)",
        "  --overwrite    evaluate again where OUT/evaluations/<name> exists");
  }

  @Override
  public int run(List<String> arguments, CommandContext console) throws Exception {
    List<Path> models = new ArrayList<>();
    List<Path> evaluations = new ArrayList<>();
    List<String> algorithms = new ArrayList<>();
    Path data = null;
    Path out = null;
    String split = EvaluationRequest.TEST_SPLIT;
    boolean overwrite = false;
    for (int i = 0; i < arguments.size(); i++) {
      String argument = arguments.get(i);
      if (argument.equals("--overwrite")) {
        overwrite = true;
        continue;
      }
      if (i + 1 >= arguments.size()) {
        return usageError(console, "missing value for " + argument);
      }
      String value = arguments.get(++i);
      switch (argument) {
        case "--model" -> models.add(console.workingDirectory().resolve(value));
        case "--eval" -> evaluations.add(console.workingDirectory().resolve(value));
        case "--train" -> algorithms.add(value);
        case "--data" -> data = console.workingDirectory().resolve(value).toAbsolutePath().normalize();
        case "--out" -> out = console.workingDirectory().resolve(value);
        case "--split" -> split = value;
        default -> {
          return usageError(console, "unknown option " + argument);
        }
      }
    }
    if (data == null || out == null || models.size() + evaluations.size() + algorithms.size() < 1) {
      return usageError(console, "--data, --out and at least one --model, --eval or --train are required");
    }
    for (String algorithm : algorithms) {
      Path model = out.resolve("models").resolve(algorithm);
      if (!Files.isDirectory(model)) {
        int trained = train(algorithm, data, model, console);
        if (trained != 0) {
          return trained;
        }
      } else {
        console.out().println("Using the " + algorithm + " model in " + model);
      }
      models.add(model);
    }
    Map<String, EvaluationResults> results = new LinkedHashMap<>();
    try {
      for (Path model : models) {
        String name = unique(model.getFileName().toString(), results);
        Path evaluation = out.resolve("evaluations").resolve(name);
        if (Files.isDirectory(evaluation) && !overwrite) {
          console.out().println("Using the evaluation of " + name + " in " + evaluation + " (--overwrite evaluates again)");
        } else {
          console.out().println("Evaluating " + name + " ...");
          EvaluationReport report = evaluator.evaluate(
              new EvaluationRequest(model, data, split, evaluation, overwrite, false), progress(console, name));
          console.out().printf(Locale.ROOT, "  %s: %d images, %.1f images/s%n", name, report.images(),
              report.imagesPerSecond());
        }
        results.put(name, EvaluationResults.read(name, evaluation, model));
      }
      for (Path evaluation : evaluations) {
        String name = unique(evaluation.getFileName().toString(), results);
        results.put(name, EvaluationResults.read(name, evaluation, null));
      }
    } catch (EvaluationException | java.io.IOException e) {
      console.err().println("vigil compare: " + e.getMessage());
      return 1;
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("machine", Runtime.getRuntime().availableProcessors() + " cores, " + System.getProperty("os.name") + " "
        + System.getProperty("os.arch"));
    facts.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
    facts.put("Vigil", String.valueOf(org.osgi.framework.FrameworkUtil.getBundle(CompareCommand.class) == null ? "?"
        : org.osgi.framework.FrameworkUtil.getBundle(CompareCommand.class).getVersion()));
    facts.put("command line", "./vigil compare " + String.join(" ", arguments));
    facts.put("written", java.time.Instant.now().toString());
    Path report = ComparisonReport.write(List.copyOf(results.values()),
        new ComparisonReport.Facts(data, split, facts), out);
    console.out().println("Report: " + report);
    return 0;
  }

  /** Trains {@code algorithm} with its defaults on the train split; returns the exit code (0: trained). */
  private int train(String algorithm, Path data, Path model, CommandContext console) throws Exception {
    DetectorFactory factory = factories.stream().filter(f -> f.algorithm().equals(algorithm)).findFirst().orElse(null);
    if (factory == null) {
      console.err().println("vigil compare: no detector '" + algorithm + "' installed; installed: "
          + factories.stream().map(DetectorFactory::algorithm).toList());
      return 2;
    }
    // DS sorts a reference list as ServiceReference.compareTo does: the highest ranking comes last.
    DatasetFormat format = null;
    for (int i = formats.size() - 1; i >= 0 && format == null; i--) {
      format = formats.get(i).recognizes(data) ? formats.get(i) : null;
    }
    if (format == null) {
      console.err().println("vigil compare: no installed data set format recognises " + data);
      return 1;
    }
    console.out().println("Training " + algorithm + " with its defaults into " + model + " ...");
    long start = System.nanoTime();
    try {
      Detector detector = factory.train(format.open(data, "train"), Map.of("name", algorithm), model,
          new TrainingMonitor() {
            private String phase = "";

            @Override
            public void progress(TrainingProgress progress) {
              if (!progress.phase().equals(phase)) {
                phase = progress.phase();
                console.err().println("  " + algorithm + ": " + phase);
              }
            }
          });
      console.out().printf(Locale.ROOT, "  %s trained in %.1f s%n", detector.name(), (System.nanoTime() - start) / 1e9);
      if (detector instanceof AutoCloseable closeable) {
        closeable.close();
      }
      return 0;
    } catch (TrainingException e) {
      console.err().println("vigil compare: training " + algorithm + " failed: " + e.getMessage());
      return 1;
    }
  }

  private static String unique(String name, Map<String, ?> taken) {
    String candidate = name;
    for (int n = 2; taken.containsKey(candidate); n++) {
      candidate = name + "-" + n;
    }
    return candidate;
  }

  /** One line per tenth of the images, the same in a terminal and a log. */
  private static EvaluationMonitor progress(CommandContext console, String name) {
    return new EvaluationMonitor() {
      private int lastTenth = -1;

      @Override
      public void started(EvaluationRun run, int total) {
        console.err().printf(Locale.ROOT, "  %s: %d images%n", name, total);
      }

      @Override
      public void progress(int done, int total, String imageId) {
        int tenth = total == 0 ? 10 : done * 10 / total;
        if (tenth != lastTenth) {
          lastTenth = tenth;
          console.err().printf(Locale.ROOT, "  %s: %d/%d%n", name, done, total);
        }
      }
    };
  }

  private int usageError(CommandContext console, String problem) {
    console.err().println("vigil compare: " + problem);
    console.err().println(usage());
    return 2;
  }
}
