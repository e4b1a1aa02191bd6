package io.vigil.image;

import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.api.source.DatasetItem;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** Turns listed data set items into frames: the image, its ground truth and mask, checked. */
public final class DatasetFrames {
  private DatasetFrames() {}

  /**
   * Reads the frame of {@code item}: id and origin from the item, timestamp from the file's last
   * modification. A labelled good item gets an all-zero mask of the image's size when it has no
   * mask file; a mask file must have the image's size.
   *
   * @throws ImageFormatException when the image or mask does not decode, or the sizes differ
   * @throws IOException when a file cannot be read
   */
  public static Frame read(DatasetItem item, Map<String, String> metadata) throws IOException {
    return read(item, metadata, DecodeLimits.defaults());
  }

  /**
   * As {@link #read(DatasetItem, Map)}, decoding the image under {@code limits}. A labelled item's
   * image is always decoded at full resolution: its mask must match it pixel for pixel.
   */
  public static Frame read(DatasetItem item, Map<String, String> metadata, DecodeLimits limits) throws IOException {
    Image image = ImageFiles.read(item.image(), item.labelled() ? limits.withMaxSide(0) : limits);
    return new Frame(item.id(), Files.getLastModifiedTime(item.image()).toInstant(), item.image().toString(), image,
        groundTruth(item, image), metadata);
  }

  private static GroundTruth groundTruth(DatasetItem item, Image image) throws IOException {
    if (!item.labelled()) {
      return null;
    }
    Mask mask = null;
    if (item.mask() != null) {
      mask = ImageFiles.readMask(item.mask());
      if (mask.width() != image.width() || mask.height() != image.height()) {
        throw new ImageFormatException(item.mask(), "mask is " + mask.width() + "x" + mask.height() + " but its image "
            + item.image() + " is " + image.width() + "x" + image.height(), null);
      }
    } else if (!item.anomalous()) {
      mask = Mask.empty(image.width(), image.height());
    }
    return item.anomalous() ? GroundTruth.defect(item.defectType(), mask) : GroundTruth.good(mask);
  }

  /** Checks from the file headers alone that a mask has its image's size. */
  public static void checkMaskSize(DatasetItem item) throws IOException {
    if (item.mask() == null) {
      return;
    }
    ImageSize image = ImageFiles.readSize(item.image());
    ImageSize mask = ImageFiles.readSize(item.mask());
    if (!image.equals(mask)) {
      throw new ImageFormatException(item.mask(), "mask is " + mask + " but its image " + item.image() + " is " + image,
          null);
    }
  }
}
