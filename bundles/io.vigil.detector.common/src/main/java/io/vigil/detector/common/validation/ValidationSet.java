package io.vigil.detector.common.validation;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.detector.common.features.ResamplingMatrices;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A validation split that needs no defective examples: held-out good images (never trained on),
 * each also with one synthetic defect pasted in, kinds taken in turn so every kind is there.
 * Defaults, stopping and diagnostics are judged on it; a test split only confirms.
 *
 * <p>Two mixes of kinds. {@link #CLEAR_KINDS}, small and clear defects, is what training loops
 * keep checkpoints and stop on: one draw of them ranks neighbouring checkpoints steadily. {@link
 * #ALL_KINDS} adds large faint shades, which a map's smoothing and a bank's density are judged on;
 * its figures swing more from one draw to the next (README, "A validation split with faint
 * defects"), so settings are compared on it over several draws.
 *
 * <p>The images are resized to the model's input size first (bilinear, the backbone's own
 * resize), so a detector scores them without resizing and the masks are at map resolution.
 *
 * @param good      the held-out good images, resized
 * @param defective one synthetic defect per good image, same order
 */
public record ValidationSet(List<Image> good, List<SyntheticDefect> defective) {

  /** Scratch, stain, cut-paste and hole: small, 2 to 5 standard deviations of contrast. */
  public static final List<DefectKind> CLEAR_KINDS =
      List.of(DefectKind.SCRATCH, DefectKind.STAIN, DefectKind.CUT_PASTE, DefectKind.HOLE);

  /** The clear kinds and the large, faint shade. */
  public static final List<DefectKind> ALL_KINDS = List.of(DefectKind.values());

  public ValidationSet {
    good = List.copyOf(good);
    defective = List.copyOf(defective);
  }

  /** The split with the {@link #CLEAR_KINDS}, as training loops use it. */
  public static ValidationSet of(List<Image> heldOut, int size, Random random) {
    return of(heldOut, size, CLEAR_KINDS, random);
  }

  /**
   * @param heldOut good images no model was trained on
   * @param size    the square size to resize to (the model's input), or 0 to keep each image's
   * @param kinds   the kinds of defect, taken in turn
   * @param random  draws the defects; the same seed gives the same set
   */
  public static ValidationSet of(List<Image> heldOut, int size, List<DefectKind> kinds, Random random) {
    if (kinds.isEmpty()) {
      throw new IllegalArgumentException("no kind of defect to paste");
    }
    List<Image> good = new ArrayList<>(heldOut.size());
    List<SyntheticDefect> defective = new ArrayList<>(heldOut.size());
    for (int i = 0; i < heldOut.size(); i++) {
      Image image = size > 0 ? resize(heldOut.get(i), size, size) : heldOut.get(i);
      good.add(image);
      defective.add(SyntheticDefects.paste(image, kinds.get(i % kinds.size()), random));
    }
    return new ValidationSet(good, defective);
  }

  /** Good images first, then the defective ones: the order {@link ValidationMetrics} expects. */
  public List<Image> images() {
    List<Image> all = new ArrayList<>(good);
    defective.forEach(d -> all.add(d.image()));
    return all;
  }

  public List<Mask> masks() {
    return defective.stream().map(SyntheticDefect::mask).toList();
  }

  /** Bilinear resize (half-pixel centres, as the backbone's input resize) of an 8-bit image. */
  static Image resize(Image image, int width, int height) {
    Image source = image.bitDepth() == 8 ? image : image.toRgb8();
    if (source.width() == width && source.height() == height) {
      return source;
    }
    int channels = source.channels();
    float[][] rows = ResamplingMatrices.bilinear(source.height(), height);
    float[][] columns = ResamplingMatrices.bilinear(source.width(), width);
    byte[] in = source.pixels8();
    // Columns first, into (source height, width, channels), then rows.
    float[] across = new float[source.height() * width * channels];
    for (int y = 0; y < source.height(); y++) {
      for (int x = 0; x < width; x++) {
        float[] weights = columns[x];
        for (int sx = 0; sx < weights.length; sx++) {
          if (weights[sx] != 0) {
            for (int c = 0; c < channels; c++) {
              across[(y * width + x) * channels + c] += weights[sx] * (in[(y * source.width() + sx) * channels + c] & 0xff);
            }
          }
        }
      }
    }
    byte[] out = new byte[height * width * channels];
    for (int y = 0; y < height; y++) {
      float[] weights = rows[y];
      for (int x = 0; x < width; x++) {
        for (int c = 0; c < channels; c++) {
          float sum = 0;
          for (int sy = 0; sy < weights.length; sy++) {
            if (weights[sy] != 0) {
              sum += weights[sy] * across[(sy * width + x) * channels + c];
            }
          }
          out[(y * width + x) * channels + c] = (byte) Math.max(0, Math.min(255, Math.round(sum)));
        }
      }
    }
    return Image.of8Bit(width, height, channels, out);
  }
}
