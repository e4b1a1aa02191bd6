package io.vigil.metrics.internal;

import io.vigil.api.metric.CurvePoint;
import java.util.ArrayList;
import java.util.List;

/** ROC-type curves over a {@link ScoreDistribution} and the areas under them. */
final class Curves {
  private Curves() {}

  /**
   * An area with how far it may be from the exact one.
   *
   * @param value      the area, normalised by the integration limit
   * @param errorBound the largest possible difference to the value from unbinned scores (0 when exact)
   */
  record Area(double value, double errorBound) {
    static final Area UNDEFINED = new Area(Double.NaN, Double.NaN);
  }

  /**
   * The area under the curve x = cumulative negative share, y = cumulative positive share, as
   * the threshold falls from the highest score, from x = 0 to {@code xMax}, divided by {@code xMax}.
   * Ties: one point per group, joined by straight lines (sklearn's roc_auc_score; the MVTec AD
   * script's trapezoid, which interpolates linearly at {@code xMax}).
   *
   * <p>Error bound of binned groups: inside a mixed bin the exact curve is a monotone staircase
   * from the bin's first corner to its last, so it stays in the box spanned by the two; the
   * straight line does too, so the two areas differ by at most half the box (the line halves it),
   * and by at most the whole box where the curve is cut at {@code xMax} inside the bin. Groups of
   * a single distinct value are exact.
   */
  static Area area(ScoreDistribution distribution, double xMax) {
    double negatives = distribution.totalNegative();
    double positives = distribution.totalPositive();
    if (!(negatives > 0) || !(positives > 0)) {
      return Area.UNDEFINED;
    }
    double cumulativeNegative = 0;
    double cumulativePositive = 0;
    double x0 = 0;
    double y0 = 0;
    double area = 0;
    double bound = 0;
    for (int i = 0; i < distribution.size(); i++) {
      cumulativeNegative += distribution.negative(i);
      cumulativePositive += distribution.positive(i);
      double x1 = Math.min(1.0, cumulativeNegative / negatives);
      double y1 = Math.min(1.0, cumulativePositive / positives);
      if (x1 <= xMax) {
        area += 0.5 * (y0 + y1) * (x1 - x0);
        if (distribution.mixed(i)) {
          bound += 0.5 * (x1 - x0) * (y1 - y0);
        }
      } else {
        if (x0 < xMax) {
          double yAtMax = y0 + (y1 - y0) * (xMax - x0) / (x1 - x0);
          area += 0.5 * (y0 + yAtMax) * (xMax - x0);
          if (distribution.mixed(i)) {
            bound += (xMax - x0) * (y1 - y0);
          }
        }
        break;
      }
      x0 = x1;
      y0 = y1;
    }
    return new Area(area / xMax, bound / xMax);
  }

  /**
   * The ROC points (false positive rate, true positive rate, threshold), starting at (0, 0) with
   * threshold +infinity, one point per group: a frame is flagged when its score reaches the
   * threshold. Empty when either class is missing.
   */
  static List<CurvePoint> roc(ScoreDistribution distribution) {
    double negatives = distribution.totalNegative();
    double positives = distribution.totalPositive();
    if (!(negatives > 0) || !(positives > 0)) {
      return List.of();
    }
    List<CurvePoint> points = new ArrayList<>(distribution.size() + 1);
    points.add(new CurvePoint(0, 0, Double.POSITIVE_INFINITY));
    double cumulativeNegative = 0;
    double cumulativePositive = 0;
    for (int i = 0; i < distribution.size(); i++) {
      cumulativeNegative += distribution.negative(i);
      cumulativePositive += distribution.positive(i);
      points.add(new CurvePoint(cumulativeNegative / negatives, cumulativePositive / positives, distribution.threshold(i)));
    }
    return points;
  }
}
