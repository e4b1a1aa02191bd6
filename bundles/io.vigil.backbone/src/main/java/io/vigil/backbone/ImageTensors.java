package io.vigil.backbone;

import ai.djl.modality.cv.Image.Interpolation;
import ai.djl.modality.cv.util.NDImageUtils;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.vigil.api.image.Image;
import java.nio.ByteBuffer;
import java.util.List;

/** Vigil images to network input tensors: RGB float in [0, 1], channels first. */
public final class ImageTensors {
  private ImageTensors() {}

  /** One image as (H, W, 3) float32 in [0, 1]; grey is replicated, 16-bit keeps its high byte. */
  public static NDArray toHwc(NDManager manager, Image image) {
    Image rgb = image.toRgb8();
    NDArray bytes = manager.create(ByteBuffer.wrap(rgb.pixels8()), new Shape(rgb.height(), rgb.width(), 3), DataType.UINT8);
    return bytes.toType(DataType.FLOAT32, false).divi(255f);
  }

  /**
   * A batch (N, 3, height, width), each image resized bilinearly to height x width. Callers that
   * batch frame after frame keep an {@link InputBatcher}, which reuses its buffer.
   */
  public static NDArray batch(NDManager manager, List<Image> images, int width, int height) {
    return new InputBatcher().batch(manager, images, width, height);
  }

  /** How an image is resampled to the network's input size. */
  public enum Resampling {
    /** Output pixel i takes source pixel floor(i * source / output): the common reference recipe. */
    NEAREST,
    /** Bilinear interpolation: smoother, what the feature extractors use. */
    BILINEAR
  }

  /**
   * The classification view of an image: the centred square, resized to size x size, as
   * (1, 3, size, size). ImageNet classifiers expect this framing.
   */
  public static NDArray centerSquare(NDManager manager, Image image, int size, Resampling resampling) {
    int side = Math.min(image.width(), image.height());
    int x0 = (image.width() - side) / 2;
    int y0 = (image.height() - side) / 2;
    if (resampling == Resampling.NEAREST) {
      Image rgb = image.toRgb8();
      byte[] source = rgb.pixels8();
      byte[] picked = new byte[size * size * 3];
      for (int y = 0; y < size; y++) {
        int sourceRow = y0 + (int) ((long) y * side / size);
        for (int x = 0; x < size; x++) {
          int sourceColumn = x0 + (int) ((long) x * side / size);
          System.arraycopy(source, (sourceRow * rgb.width() + sourceColumn) * 3, picked, (y * size + x) * 3, 3);
        }
      }
      return toHwc(manager, Image.of8Bit(size, size, 3, picked)).transpose(2, 0, 1).expandDims(0);
    }
    NDArray hwc = toHwc(manager, image).get(y0 + ":" + (y0 + side) + "," + x0 + ":" + (x0 + side) + ",:");
    if (side != size) {
      hwc = NDImageUtils.resize(hwc, size, size, Interpolation.BILINEAR);
    }
    return hwc.transpose(2, 0, 1).expandDims(0);
  }
}
