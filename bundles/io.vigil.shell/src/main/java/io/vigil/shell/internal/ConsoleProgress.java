package io.vigil.shell.internal;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;

/**
 * A one-line progress bar: redrawn in place on a terminal, printed every few percent otherwise
 * (logs of a CI or a service stay readable).
 */
final class ConsoleProgress {
  private static final int WIDTH = 30;
  private final PrintStream out;
  private final boolean interactive;
  private String lastPhase = "";
  private int lastPercent = -1;
  private long lastDrawNanos;

  ConsoleProgress(PrintStream out, boolean interactive) {
    this.out = out;
    this.interactive = interactive;
  }

  /** @param detail e.g. "loss 0.31"; may be empty */
  synchronized void update(String phase, long done, long total, String detail, Duration elapsed, Duration remaining) {
    int percent = total <= 0 ? 0 : (int) Math.min(100, done * 100 / total);
    boolean newPhase = !phase.equals(lastPhase);
    long now = System.nanoTime();
    if (interactive) {
      if (!newPhase && percent == lastPercent && now - lastDrawNanos < 200_000_000L && done < total) {
        return;
      }
      if (newPhase && !lastPhase.isEmpty()) {
        out.println();
      }
      out.print("\r" + line(phase, done, total, percent, detail, elapsed, remaining));
      if (done >= total && total > 0) {
        out.println();
        lastPhase = "";
        lastPercent = -1;
        out.flush();
        return;
      }
    } else {
      if (!newPhase && percent / 10 == lastPercent / 10 && done < total) {
        return;
      }
      out.println(line(phase, done, total, percent, detail, elapsed, remaining));
    }
    out.flush();
    lastPhase = phase;
    lastPercent = percent;
    lastDrawNanos = now;
  }

  /** Ends an unfinished bar line so the next output starts on a fresh line. */
  synchronized void finish() {
    if (interactive && !lastPhase.isEmpty()) {
      out.println();
      out.flush();
    }
    lastPhase = "";
  }

  static String line(String phase, long done, long total, int percent, String detail, Duration elapsed,
      Duration remaining) {
    int filled = total <= 0 ? 0 : (int) (WIDTH * Math.min(done, total) / total);
    StringBuilder line = new StringBuilder();
    line.append(String.format(Locale.ROOT, "%-14s [", phase));
    line.append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
    line.append(String.format(Locale.ROOT, "%3d%% %d/%d", percent, done, total));
    if (detail != null && !detail.isEmpty()) {
      line.append("  ").append(detail);
    }
    if (elapsed != null) {
      line.append("  ").append(clock(elapsed));
    }
    if (remaining != null) {
      line.append(" ETA ").append(clock(remaining));
    }
    return line.toString();
  }

  static String clock(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
  }
}
