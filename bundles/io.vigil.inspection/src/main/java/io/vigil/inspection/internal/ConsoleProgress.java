package io.vigil.inspection.internal;

import io.vigil.api.evaluation.EvaluationMonitor;
import io.vigil.api.evaluation.EvaluationRun;
import java.io.PrintStream;
import java.util.Locale;

/**
 * A progress bar: redrawn in place at a terminal (at most ten times a second), one line per
 * tenth of the work otherwise (logs stay readable).
 */
final class ConsoleProgress implements EvaluationMonitor {
  private static final int BAR_WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean interactive;
  private final LongSupplierClock clock;
  private long startNanos;
  private long lastDrawNanos;
  private int lastTenth = -1;
  private boolean drawn;

  /** The time source, replaceable in tests. */
  interface LongSupplierClock {
    long nanoTime();
  }

  ConsoleProgress(PrintStream out, boolean interactive) {
    this(out, interactive, System::nanoTime);
  }

  ConsoleProgress(PrintStream out, boolean interactive, LongSupplierClock clock) {
    this.out = out;
    this.interactive = interactive;
    this.clock = clock;
  }

  @Override
  public void started(EvaluationRun run, int total) {
    startNanos = clock.nanoTime();
    out.printf(Locale.ROOT, "Evaluating %s (%s) on split '%s' of %s (%s format)%s%n", run.detectorName(), run.algorithm(),
        run.split(), run.data(), run.datasetFormat(), total >= 0 ? ", " + total + " images" : "");
  }

  @Override
  public void progress(int done, int total, String imageId) {
    long now = clock.nanoTime();
    if (interactive) {
      if (now - lastDrawNanos >= REDRAW_NANOS || done == total) {
        out.print("\r" + line(done, total, now));
        out.flush();
        lastDrawNanos = now;
        drawn = true;
      }
    } else {
      int tenth = total > 0 ? done * 10 / total : done / 100;
      if (tenth != lastTenth) {
        out.println(line(done, total, now));
        lastTenth = tenth;
      }
    }
  }

  @Override
  public void finishing() {
    if (drawn) {
      out.println();
    }
    out.println("Computing metrics and writing the report...");
  }

  String line(int done, int total, long now) {
    double seconds = (now - startNanos) / 1e9;
    double rate = seconds > 0 ? done / seconds : 0;
    if (total <= 0) {
      return String.format(Locale.ROOT, "%d images  %.1f images/s", done, rate);
    }
    int filled = (int) ((long) done * BAR_WIDTH / total);
    String bar = "#".repeat(filled) + "-".repeat(BAR_WIDTH - filled);
    String remaining = rate > 0 ? clockTime((total - done) / rate) : "?";
    return String.format(Locale.ROOT, "[%s] %d/%d %3d%%  %.1f images/s  ETA %s", bar, done, total,
        (int) (100L * done / total), rate, remaining);
  }

  private static String clockTime(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
