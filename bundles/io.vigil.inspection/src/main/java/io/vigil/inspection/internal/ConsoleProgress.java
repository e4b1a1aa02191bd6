package io.vigil.inspection.internal;

import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.cli.ProgressBar;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/** An evaluation on the console: what is evaluated, then the shared progress bar over the images. */
final class ConsoleProgress implements EvaluationMonitor {
  static final String PHASE = "evaluating";
  private final PrintStream out;
  private final ProgressBar bar;

  ConsoleProgress(PrintStream out, boolean interactive) {
    this(out, interactive, System::nanoTime);
  }

  ConsoleProgress(PrintStream out, boolean interactive, LongSupplier clock) {
    this.out = out;
    this.bar = new ProgressBar(out, interactive, "images", clock);
  }

  @Override
  public void started(EvaluationRun run, int total) {
    out.printf(Locale.ROOT, "Evaluating %s (%s) on split '%s' of %s (%s format)%s%n", run.detectorName(), run.algorithm(),
        run.split(), run.data(), run.datasetFormat(), total >= 0 ? ", " + total + " images" : "");
  }

  @Override
  public void progress(int done, int total, String imageId) {
    bar.update(PHASE, done, total, null);
  }

  @Override
  public void finishing() {
    bar.finish();
    out.println("Computing metrics and writing the report...");
  }
}
