package io.vigil.api.metric;

/** One point of a curve (ROC: x = false positive rate, y = true positive rate) at a threshold. */
public record CurvePoint(double x, double y, double threshold) {}
