package io.vigil.ui.views.live.internal;

import io.vigil.api.detector.AnomalyMap;
import io.vigil.api.detector.Detection;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;

/**
 * Turns inspection results into {@link RenderedResult}s: pixel conversion, heatmap colouring and
 * thumbnails, all plain Java on the caller's (Event Admin's) thread, never on the UI thread.
 * Thread safe: results are rendered one at a time in arrival order.
 */
final class ResultRenderer {
  /** Larger images are shrunk first: the screen shows no more, and the UI thread converts less. */
  static final int MAX_SIDE = 1024;
  static final int THUMBNAIL_SIDE = 80;
  private static final PaletteData RGB = new PaletteData(0xFF0000, 0x00FF00, 0x0000FF);
  private static final int RATE_WINDOW = 20;

  private final ScoreScale scale = new ScoreScale();
  private final Deque<Instant> completions = new ArrayDeque<>();

  synchronized RenderedResult render(InspectionResult result, double threshold) {
    double fps = framesPerSecond(result.completedAt());
    double millis = result.processingTime().toNanos() / 1e6;
    ImageData base = result.frame() == null ? null : shrink(rgb(result.frame().image()));
    Detection detection = result.detection();
    if (detection == null) {
      ImageData thumbnail = base == null ? null : thumbnail(base, null);
      return new RenderedResult(result.sequence(), result.frameId(), result.sourceName(), result.detectorName(), base,
          null, thumbnail, null, Double.NaN, Double.NaN, null, result.error(), millis, fps);
    }
    AnomalyMap map = detection.map();
    ScoreScale.Range range = scale.update(map.min(), map.max(), threshold);
    ImageData heat = heat(map, range, base == null ? map.width() : base.width, base == null ? map.height() : base.height);
    ImageData thumbnail = thumbnail(base == null ? heat : base, base == null ? null : heat);
    return new RenderedResult(result.sequence(), result.frameId(), result.sourceName(), result.detectorName(), base,
        heat, thumbnail, range, detection.rawScore(), detection.normalizedScore(), detection.decision(), null, millis,
        fps);
  }

  private double framesPerSecond(Instant completedAt) {
    completions.addLast(completedAt);
    if (completions.size() > RATE_WINDOW) {
      completions.removeFirst();
    }
    if (completions.size() < 2) {
      return 0;
    }
    double seconds = (completions.getLast().toEpochMilli() - completions.getFirst().toEpochMilli()) / 1000.0;
    return seconds <= 0 ? 0 : (completions.size() - 1) / seconds;
  }

  /** An image as 24-bit RGB pixel data, rows unpadded. */
  static ImageData rgb(Image image) {
    Image rgb = image.toRgb8();
    return new ImageData(rgb.width(), rgb.height(), 24, RGB, 1, rgb.pixels8());
  }

  /** The map coloured over {@code range}, sampled (nearest) to {@code width} x {@code height}. */
  static ImageData heat(AnomalyMap map, ScoreScale.Range range, int width, int height) {
    byte[] pixels = new byte[width * height * 3];
    float[] values = map.values();
    for (int y = 0; y < height; y++) {
      int mapRow = (int) ((long) y * map.height() / height) * map.width();
      for (int x = 0; x < width; x++) {
        int colour = Colormap.jet(range.position(values[mapRow + (int) ((long) x * map.width() / width)]));
        int offset = (y * width + x) * 3;
        pixels[offset] = (byte) (colour >>> 16);
        pixels[offset + 1] = (byte) (colour >>> 8);
        pixels[offset + 2] = (byte) colour;
      }
    }
    return new ImageData(width, height, 24, RGB, 1, pixels);
  }

  /** The image with the heatmap blended in half and half, fitted into the thumbnail square. */
  static ImageData thumbnail(ImageData base, ImageData heat) {
    double factor = Math.min(1.0, (double) THUMBNAIL_SIDE / Math.max(base.width, base.height));
    int width = Math.max(1, (int) Math.round(base.width * factor));
    int height = Math.max(1, (int) Math.round(base.height * factor));
    ImageData small = base.scaledTo(width, height);
    if (heat == null) {
      return small;
    }
    ImageData smallHeat = heat.scaledTo(width, height);
    byte[] blended = new byte[width * height * 3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int offset = (y * width + x) * 3;
        int a = small.getPixel(x, y);
        int b = smallHeat.getPixel(x, y);
        blended[offset] = (byte) ((((a >>> 16) & 0xFF) + ((b >>> 16) & 0xFF)) / 2);
        blended[offset + 1] = (byte) ((((a >>> 8) & 0xFF) + ((b >>> 8) & 0xFF)) / 2);
        blended[offset + 2] = (byte) (((a & 0xFF) + (b & 0xFF)) / 2);
      }
    }
    return new ImageData(width, height, 24, RGB, 1, blended);
  }

  private static ImageData shrink(ImageData data) {
    int side = Math.max(data.width, data.height);
    if (side <= MAX_SIDE) {
      return data;
    }
    double factor = (double) MAX_SIDE / side;
    return data.scaledTo(Math.max(1, (int) (data.width * factor)), Math.max(1, (int) (data.height * factor)));
  }
}
