package io.vigil.ui.views.live.internal;

import io.vigil.api.detector.Decision;
import org.eclipse.swt.graphics.ImageData;

/**
 * One inspection result made ready to draw, off the UI thread: plain pixel data (no SWT resource,
 * so any thread may build it) and the texts the view shows.
 *
 * @param base       the image, RGB; null for a frame that could not be read
 * @param heat       the anomaly map coloured over {@code range}, RGB; null on errors
 * @param thumbnail  the image with its heatmap blended in, small, for the strip
 * @param decision   OK or NOK; null on errors
 * @param error      what went wrong; null on success
 * @param framesPerSecond results per second over the recent results
 */
record RenderedResult(
    long sequence,
    String frameId,
    String sourceName,
    String detectorName,
    ImageData base,
    ImageData heat,
    ImageData thumbnail,
    ScoreScale.Range range,
    double rawScore,
    double normalizedScore,
    Decision decision,
    String error,
    double processingMillis,
    double framesPerSecond) {

  boolean isError() {
    return error != null;
  }
}
