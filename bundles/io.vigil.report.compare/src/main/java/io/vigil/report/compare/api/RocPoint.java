package io.vigil.report.compare.api;

/** One point of an image-level ROC curve (defective is positive) and the score threshold that gives it. */
public record RocPoint(double falsePositiveRate, double truePositiveRate, double threshold) {}
