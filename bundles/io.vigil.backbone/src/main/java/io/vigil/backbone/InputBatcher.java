package io.vigil.backbone;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.image.Image;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.List;

/**
 * Turns images into one network input batch, (N, 3, height, width) float32 in [0, 1], in Java:
 * each image is converted and resized bilinearly straight into a native-order staging buffer,
 * which the engine copies once. Done with engine operators instead, every image cost five
 * operators and as many native arrays (about 3 ms per image at 224x224, as much as a fifth of a
 * detector's time); this costs a fraction of a millisecond.
 *
 * <p>The bilinear resize is OpenCV's {@code INTER_LINEAR} (what the engine's image resize runs):
 * half-pixel centres, no antialiasing, edges clamped, a horizontal then a vertical pass; grey is
 * replicated to the three channels and 16-bit samples keep their high byte, as
 * {@link Image#toRgb8()} does.
 *
 * <p>One batcher per model: it keeps its staging buffer between calls (no allocation per frame
 * once the largest batch has been seen). Thread-safe; concurrent callers take turns.
 */
public final class InputBatcher {
  private static final float[] UNIT = new float[256];

  static {
    for (int i = 0; i < UNIT.length; i++) {
      UNIT[i] = i / 255f;
    }
  }

  private ByteBuffer staging = ByteBuffer.allocateDirect(0);
  private float[] plane = new float[0];
  private float[] upperRow = new float[0];
  private float[] lowerRow = new float[0];

  /** The batch on {@code manager}: image i resized to width x height, channels first. */
  public synchronized NDArray batch(NDManager manager, List<Image> images, int width, int height) {
    if (images.isEmpty()) {
      throw new IllegalArgumentException("no images to batch");
    }
    int planeSize = width * height;
    int floats = images.size() * 3 * planeSize;
    if (staging.capacity() < floats * Float.BYTES) {
      staging = ByteBuffer.allocateDirect(floats * Float.BYTES).order(ByteOrder.nativeOrder());
    }
    if (plane.length < planeSize) {
      plane = new float[planeSize];
    }
    FloatBuffer out = staging.asFloatBuffer();
    for (Image image : images) {
      boolean grey8 = image.channels() == 1 && image.bitDepth() == 8;
      Image source = grey8 ? image : image.toRgb8();
      int channels = grey8 ? 1 : 3;
      for (int c = 0; c < 3; c++) {
        if (c < channels) {
          resample(source.pixels8(), source.width(), source.height(), channels, c, width, height);
        }
        out.put(plane, 0, planeSize);
      }
    }
    NDArray batch = manager.create(new Shape(images.size(), 3, height, width), DataType.FLOAT32);
    staging.position(0).limit(floats * Float.BYTES);
    batch.set(staging);
    staging.clear();
    return batch;
  }

  /** Channel {@code c} of interleaved 8-bit samples, in [0, 1], resized into {@link #plane}. */
  private void resample(byte[] pixels, int sourceWidth, int sourceHeight, int channels, int c, int width,
      int height) {
    if (sourceWidth == width && sourceHeight == height) {
      for (int i = 0, n = width * height; i < n; i++) {
        plane[i] = UNIT[pixels[i * channels + c] & 0xFF];
      }
      return;
    }
    Axis x = Axis.of(sourceWidth, width);
    Axis y = Axis.of(sourceHeight, height);
    if (upperRow.length < width) {
      upperRow = new float[width];
      lowerRow = new float[width];
    }
    int upperSource = -1;
    int lowerSource = -1;
    for (int row = 0; row < height; row++) {
      int top = y.first[row];
      int bottom = y.second[row];
      if (top != upperSource) {
        if (top == lowerSource) {
          float[] swap = upperRow;
          upperRow = lowerRow;
          lowerRow = swap;
        } else {
          horizontal(pixels, sourceWidth, channels, c, top, x, upperRow, width);
        }
        upperSource = top;
        lowerSource = -1;
      }
      if (bottom != lowerSource) {
        horizontal(pixels, sourceWidth, channels, c, bottom, x, lowerRow, width);
        lowerSource = bottom;
      }
      float upperWeight = y.firstWeight[row];
      float lowerWeight = y.secondWeight[row];
      int offset = row * width;
      for (int column = 0; column < width; column++) {
        plane[offset + column] = upperRow[column] * upperWeight + lowerRow[column] * lowerWeight;
      }
    }
  }

  private static void horizontal(byte[] pixels, int sourceWidth, int channels, int c, int sourceRow, Axis x,
      float[] into, int width) {
    int rowStart = sourceRow * sourceWidth;
    for (int column = 0; column < width; column++) {
      float left = UNIT[pixels[(rowStart + x.first[column]) * channels + c] & 0xFF];
      float right = UNIT[pixels[(rowStart + x.second[column]) * channels + c] & 0xFF];
      into[column] = left * x.firstWeight[column] + right * x.secondWeight[column];
    }
  }

  /** For each output position along one axis: the two source positions and their weights. */
  private record Axis(int[] first, int[] second, float[] firstWeight, float[] secondWeight) {
    static Axis of(int sourceSize, int outputSize) {
      int[] first = new int[outputSize];
      int[] second = new int[outputSize];
      float[] firstWeight = new float[outputSize];
      float[] secondWeight = new float[outputSize];
      double scale = 1.0 / ((double) outputSize / sourceSize);
      for (int i = 0; i < outputSize; i++) {
        float position = (float) ((i + 0.5) * scale - 0.5);
        int index = (int) Math.floor(position);
        float fraction = position - index;
        if (index < 0) {
          index = 0;
          fraction = 0;
        }
        if (index >= sourceSize - 1) {
          index = sourceSize - 1;
          fraction = 0;
        }
        first[i] = index;
        second[i] = Math.min(index + 1, sourceSize - 1);
        firstWeight[i] = 1f - fraction;
        secondWeight[i] = fraction;
      }
      return new Axis(first, second, firstWeight, secondWeight);
    }
  }
}
