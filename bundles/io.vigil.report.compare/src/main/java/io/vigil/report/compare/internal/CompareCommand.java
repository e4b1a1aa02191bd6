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
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
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
@Component(property = Command.NAME_PROPERTY + "=compare")
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
  public Callable<Integer> newCommand(CommandContext console) {
    return new Compare(console);
  }

  @picocli.CommandLine.Command(name = "compare",
      description = {"Compare models on one data set: one self-contained HTML report with SVG charts.",
          "Evaluates every model on the same labelled split and writes OUT/report.html: the summary table (image "
              + "and pixel AUROC, AU-PRO, F1-max, zero-miss threshold and its false rejects, the model's own "
              + "threshold with its misses and false rejects, images/s, training time), all ROC curves on one chart "
              + "with each zero-miss point, score distributions, per-defect bars, the hardest images with every "
              + "model's heatmap, and the run's facts; one file, nothing fetched. The CSV behind every chart is "
              + "beside it."})
  final class Compare implements Callable<Integer> {
    private final CommandContext console;

    @Option(names = "--model", paramLabel = "DIR",
        description = "a saved model; evaluated into OUT/evaluations/<model folder name>")
    List<Path> models = new ArrayList<>();
    @Option(names = "--eval", paramLabel = "DIR",
        description = "an evaluation ./vigil eval wrote before (of the same data set and split)")
    List<Path> evaluations = new ArrayList<>();
    @Option(names = "--train", paramLabel = "NAME",
        description = "train detector NAME (simplenet, patchcore, efficientad, ...) with its defaults on the data "
            + "set's train split into OUT/models/NAME (kept: a later run reuses it), then evaluate it")
    List<String> algorithms = new ArrayList<>();
    @Option(names = "--data", required = true, paramLabel = "DIR", description = "the labelled data set")
    Path data;
    @Option(names = "--out", required = true, paramLabel = "OUT", description = "the report folder")
    Path out;
    @Option(names = "--split", paramLabel = "NAME", defaultValue = EvaluationRequest.TEST_SPLIT,
        description = "the split (default: ${DEFAULT-VALUE})")
    String split;
    @Option(names = "--overwrite", description = "evaluate again where OUT/evaluations/<name> exists")
    boolean overwrite;
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    Compare(CommandContext console) {
      this.console = console;
    }

    @Override
    public Integer call() throws Exception {
      Path work = console.workingDirectory();
      List<Path> modelDirs = new ArrayList<>(models.stream().map(work::resolve).toList());
      List<Path> evaluationDirs = evaluations.stream().map(work::resolve).toList();
      Path dataDir = work.resolve(data).toAbsolutePath().normalize();
      Path outDir = work.resolve(out);
      if (modelDirs.size() + evaluationDirs.size() + algorithms.size() < 1) {
        console.err().println("vigil compare: at least one --model, --eval or --train is needed");
        return 2;
      }
      return compare(modelDirs, evaluationDirs, algorithms, dataDir, outDir, split, overwrite, console,
          String.join(" ", spec.commandLine().getParseResult().originalArgs()));
    }
  }

  private int compare(List<Path> models, List<Path> evaluations, List<String> algorithms, Path data, Path out,
      String split, boolean overwrite, CommandContext console, String arguments) throws Exception {
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
    org.osgi.framework.Bundle bundle = org.osgi.framework.FrameworkUtil.getBundle(CompareCommand.class);
    facts.put("Vigil", bundle == null ? "?" : bundle.getVersion().toString());
    facts.put("command line", "./vigil compare " + arguments);
    facts.put("written", java.time.Instant.now().toString());
    Path report = ComparisonReport.write(List.copyOf(results.values()),
        new ComparisonReport.Facts(data, split, facts), out);
    console.out().println("Report: " + report);
    return 0;
  }

  /** Trains {@code algorithm} with its defaults on the train split; returns the exit code (0: trained). */
  private int train(String algorithm, Path data, Path model, CommandContext console) throws Exception {
    DetectorFactory factory;
    DatasetFormat format;
    try {
      factory = Installed.factory(factories, algorithm);
      format = Installed.format(formats, data);
    } catch (IllegalArgumentException e) {
      console.err().println("vigil compare: " + e.getMessage());
      return 2;
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


}
