package io.vigil.cli;

import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.detector.TrainingProgress;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * The one progress bar of every long command (training, evaluation, ...):
 *
 * <pre>
 * epoch 2/8      [###############...............] 43/86  50%  loss 0.4200  1:05 ETA 1:05
 * </pre>
 *
 * At a terminal the line is redrawn in place (at most ten times a second); otherwise (a pipe, a
 * CI log) it is printed as a plain line at the start of each phase and at every tenth of it, so
 * logs stay readable. Thread-safe: trainers report from their own threads.
 */
public final class ProgressBar {
  private static final int WIDTH = 30;
  private static final long REDRAW_NANOS = 100_000_000L;

  private final PrintStream out;
  private final boolean terminal;
  private final String unit;
  private final LongSupplier clock;
  private String phase = "";
  private long phaseStartNanos;
  private long lastDrawNanos;
  private int lastTenth = -1;
  private int drawnLength;

  /**
   * @param terminal true when {@code out} is a terminal (redraw in place)
   * @param unit what is counted, e.g. "images": the line then shows the rate ("12.5 images/s"); null for none
   */
  public ProgressBar(PrintStream out, boolean terminal, String unit) {
    this(out, terminal, unit, System::nanoTime);
  }

  /** @param clock nanoseconds, as {@link System#nanoTime()}: replaceable in tests */
  public ProgressBar(PrintStream out, boolean terminal, String unit, LongSupplier clock) {
    this.out = out;
    this.terminal = terminal;
    this.unit = unit;
    this.clock = clock;
  }

  /** Progress with elapsed time and ETA measured from the start of this phase at its average rate. */
  public void update(String phase, long done, long total, String detail) {
    update(phase, done, total, detail, null, null);
  }

  /**
   * @param total the phase's steps; 0 or less when unknown (no bar then)
   * @param detail e.g. "loss 0.31"; may be null or empty
   * @param elapsed, remaining the caller's own estimate (a trainer that knows its schedule); null: measured here
   */
  public synchronized void update(String phase, long done, long total, String detail, Duration elapsed,
      Duration remaining) {
    long now = clock.getAsLong();
    boolean newPhase = !phase.equals(this.phase);
    if (newPhase) {
      endLine();
      this.phase = phase;
      phaseStartNanos = now;
      lastTenth = -1;
    }
    Duration measured = Duration.ofNanos(now - phaseStartNanos);
    if (elapsed == null) {
      elapsed = measured;
    }
    if (remaining == null && total > 0 && done > 0) {
      remaining = Duration.ofNanos((long) (measured.toNanos() * (double) (total - done) / done));
    }
    String rate = null;
    if (unit != null) {
      double seconds = measured.toNanos() / 1e9;
      rate = String.format(Locale.ROOT, "%.1f %s/s", seconds > 0 ? done / seconds : 0, unit);
    }
    boolean last = total > 0 && done >= total;
    if (terminal) {
      if (!newPhase && !last && now - lastDrawNanos < REDRAW_NANOS) {
        return;
      }
      String line = line(phase, done, total, join(detail, rate), elapsed, remaining);
      out.print("\r" + line + " ".repeat(Math.max(0, drawnLength - line.length())));
      drawnLength = line.length();
      if (last) {
        out.println();
        drawnLength = 0;
      }
    } else {
      int tenth = total > 0 ? (int) Math.min(10, done * 10 / total) : (int) Math.min(Integer.MAX_VALUE, done / 100);
      if (!newPhase && tenth == lastTenth) {
        return;
      }
      lastTenth = tenth;
      out.println(line(phase, done, total, join(detail, rate), elapsed, remaining));
    }
    out.flush();
    lastDrawNanos = now;
  }

  /** This bar as a trainer's monitor: phase, step, loss and the trainer's own elapsed time and ETA. */
  public TrainingMonitor trainingMonitor() {
    return (TrainingProgress p) -> update(p.phase(), p.step(), p.totalSteps(),
        Double.isNaN(p.loss()) ? "" : String.format(Locale.ROOT, "loss %.4f", p.loss()), p.elapsed(), p.remaining());
  }

  /** Ends a bar that is still being drawn, so what follows starts on a fresh line. */
  public synchronized void finish() {
    endLine();
    out.flush();
    phase = "";
  }

  private void endLine() {
    if (terminal && drawnLength > 0) {
      out.println();
    }
    drawnLength = 0;
  }

  /** One line of the bar. */
  static String line(String phase, long done, long total, String detail, Duration elapsed, Duration remaining) {
    StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-14s ", phase));
    if (total > 0) {
      int filled = (int) (WIDTH * Math.min(done, total) / total);
      line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
      line.append(String.format(Locale.ROOT, "%d/%d %3d%%", done, total, (int) Math.min(100, done * 100 / total)));
    } else {
      line.append(done);
    }
    if (detail != null && !detail.isEmpty()) {
      line.append("  ").append(detail);
    }
    if (elapsed != null) {
      line.append("  ").append(clock(elapsed));
    }
    if (remaining != null && (total <= 0 || done < total)) {
      line.append(" ETA ").append(clock(remaining));
    }
    return line.toString();
  }

  private static String join(String detail, String rate) {
    if (rate == null) {
      return detail;
    }
    return detail == null || detail.isEmpty() ? rate : detail + "  " + rate;
  }

  /** m:ss, or h:mm:ss from an hour on. */
  static String clock(Duration duration) {
    long s = Math.max(0, duration.toSeconds());
    return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
