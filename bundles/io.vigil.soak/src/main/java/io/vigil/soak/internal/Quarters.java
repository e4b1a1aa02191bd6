package io.vigil.soak.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

/**
 * A figure's lowest and highest value in each quarter of a run: what "flat" means read off a noisy
 * series, without the least-squares slope's habit of following wherever the last samples fell.
 */
final class Quarters {
  /** One quarter: the results it spans and the figure's range in it. */
  record Range(long fromResults, long toResults, double lowest, double highest) {}

  private Quarters() {}

  /** The samples in four consecutive groups of (nearly) equal count; fewer groups with fewer than four samples. */
  static List<Range> of(List<Sample> samples, ToDoubleFunction<Sample> figure) {
    List<Range> quarters = new ArrayList<>();
    int n = samples.size();
    int groups = Math.min(4, n);
    for (int q = 0; q < groups; q++) {
      List<Sample> part = samples.subList(q * n / groups, (q + 1) * n / groups);
      double lowest = part.stream().mapToDouble(figure).filter(Double::isFinite).min().orElse(Double.NaN);
      double highest = part.stream().mapToDouble(figure).filter(Double::isFinite).max().orElse(Double.NaN);
      quarters.add(new Range(part.get(0).results(), part.get(part.size() - 1).results(), lowest, highest));
    }
    return quarters;
  }

  /** "410-415, 411-418, ..." in MB with one decimal. */
  static String describe(List<Range> quarters) {
    List<String> parts = new ArrayList<>();
    for (Range range : quarters) {
      parts.add(String.format(Locale.ROOT, "%.1f-%.1f", range.lowest(), range.highest()));
    }
    return String.join(", ", parts);
  }
}
