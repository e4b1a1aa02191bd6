package io.vigil.image;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import io.vigil.image.internal.ExifOrientation;
import io.vigil.image.internal.Orientation;
import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.FileImageInputStream;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Reads and writes image files with the JDK's Image I/O (PNG, JPEG, BMP, TIFF, GIF): 8- and 16-bit
 * grey, RGB and RGBA, turned upright by their EXIF orientation.
 */
public final class ImageFiles {
  private static final String FORMATS = "PNG, JPEG, BMP, TIFF, GIF";

  private ImageFiles() {}

  /**
   * Decodes an image file: grey stays one channel, colour becomes RGB or RGBA, 16-bit samples
   * stay 16-bit, and an EXIF orientation (JPEG, TIFF, PNG) is applied so the image is upright.
   * Files above {@link #maxPixels()} are refused; the image is decoded at full resolution.
   *
   * @throws ImageFormatException when the file is not a readable image
   * @throws IOException when the file cannot be read at all
   */
  public static Image read(Path file) throws IOException {
    return read(file, DecodeLimits.defaults());
  }

  /**
   * Decodes an image file as {@link #read(Path)} does, under {@code limits}: a file whose header
   * claims more than {@link DecodeLimits#maxPixels()} is refused before any pixel buffer is made,
   * and one with a side longer than {@link DecodeLimits#maxSide()} (when set) is decoded
   * subsampled by the smallest whole factor that brings it within (every second, third... pixel of
   * every second, third... row), so a 12,000 x 12,000 scan never exists in memory at full size.
   *
   * @throws ImageFormatException when the file is not a readable image or is over the pixel limit
   * @throws IOException when the file cannot be read at all
   */
  public static Image read(Path file, DecodeLimits limits) throws IOException {
    requireFile(file);
    // Small files are read in one go and decoded from memory (Image I/O would otherwise cache a
    // stream in a temporary file); large ones are decoded from the file, never held whole.
    boolean inMemory = Files.size(file) <= IN_MEMORY_BYTES;
    byte[] encoded = inMemory ? Files.readAllBytes(file) : null;
    BufferedImage decoded;
    try (ImageInputStream in = inMemory
        ? new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))
        : new FileImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageFormatException(file, "not an image in a supported format (" + FORMATS + ")", null);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        // The header's size before any pixel buffer: a file claiming 100,000 x 100,000 pixels (a
        // decompression bomb, or a broken header) is refused instead of exhausting the memory.
        int width = reader.getWidth(0);
        int height = reader.getHeight(0);
        long pixels = (long) width * height;
        if (pixels > limits.maxPixels()) {
          throw new ImageFormatException(file, width + " x " + height + " pixels is above the limit of "
              + limits.maxPixels() + " pixels (" + MAX_PIXELS_PROPERTY + ", or the source's max.pixels); refused before decoding",
              null);
        }
        ImageReadParam param = reader.getDefaultReadParam();
        int factor = limits.subsampling(width, height);
        if (factor > 1) {
          param.setSourceSubsampling(factor, factor, 0, 0);
        }
        decoded = reader.read(0, param);
      } catch (ImageFormatException e) {
        throw e;
      } catch (IOException | RuntimeException e) {
        throw new ImageFormatException(file, "cannot decode: " + describe(e), e);
      } catch (OutOfMemoryError e) {
        // One image's buffers, all garbage now: the file is refused, the process goes on.
        throw new ImageFormatException(file, "not enough memory to decode it (" + e.getMessage()
            + "); lower the pixel limit or decode smaller", null);
      } finally {
        reader.dispose();
      }
    }
    if (decoded == null) {
      throw new ImageFormatException(file, "not an image in a supported format (" + FORMATS + ")", null);
    }
    int orientation = inMemory ? ExifOrientation.of(encoded) : ExifOrientation.of(file);
    try {
      return Orientation.apply(fromBufferedImage(decoded), orientation);
    } catch (IllegalArgumentException e) {
      throw new ImageFormatException(file, e.getMessage(), e);
    } catch (ArithmeticException e) {
      throw new ImageFormatException(file, decoded.getWidth() + " x " + decoded.getHeight()
          + " pixels: more samples than one image holds (2^31)", e);
    } catch (OutOfMemoryError e) {
      // The decoded image is there but its copy does not fit: refused like one that does not decode.
      throw new ImageFormatException(file, decoded.getWidth() + " x " + decoded.getHeight()
          + " pixels do not fit in the memory left (" + e.getMessage() + "); lower the pixel limit or decode smaller", null);
    }
  }

  /** Files up to this size are read whole before decoding. */
  private static final long IN_MEMORY_BYTES = 32L << 20;

  /** System property: the most pixels an image file may have to be decoded (default 16384 x 16384). */
  public static final String MAX_PIXELS_PROPERTY = "vigil.image.max.pixels";
  static final long DEFAULT_MAX_PIXELS = 16384L * 16384L;

  /** The pixel limit in force: {@value #MAX_PIXELS_PROPERTY} when set to a positive number, else 16384 x 16384. */
  public static long maxPixels() {
    try {
      long configured = Long.parseLong(System.getProperty(MAX_PIXELS_PROPERTY, "").trim());
      return configured > 0 ? configured : DEFAULT_MAX_PIXELS;
    } catch (NumberFormatException e) {
      return DEFAULT_MAX_PIXELS;
    }
  }

  /**
   * The upright size of an image file from its header, without decoding the pixels.
   *
   * @throws ImageFormatException when the file is not a readable image
   */
  public static ImageSize readSize(Path file) throws IOException {
    requireFile(file);
    int width;
    int height;
    try (ImageInputStream in = ImageIO.createImageInputStream(file.toFile())) {
      Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
      if (readers == null || !readers.hasNext()) {
        throw new ImageFormatException(file, "not an image in a supported format (" + FORMATS + ")", null);
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        width = reader.getWidth(0);
        height = reader.getHeight(0);
      } catch (IOException | RuntimeException e) {
        throw new ImageFormatException(file, "cannot read the header: " + describe(e), e);
      } finally {
        reader.dispose();
      }
    }
    if (width <= 0 || height <= 0) {
      throw new ImageFormatException(file, "header gives an empty size " + width + "x" + height, null);
    }
    return Orientation.swapsAxes(ExifOrientation.of(file)) ? new ImageSize(height, width) : new ImageSize(width, height);
  }

  /**
   * Reads a mask image: a pixel is a defect where any colour sample is non-zero (binary 0/255
   * masks, label masks 0/1/2..., coloured palette masks alike).
   */
  public static Mask readMask(Path file) throws IOException {
    Image image = read(file);
    int pixels = image.width() * image.height();
    int colours = Math.min(3, image.channels());
    boolean[] defect = new boolean[pixels];
    for (int i = 0; i < pixels; i++) {
      int x = i % image.width();
      int y = i / image.width();
      for (int c = 0; c < colours && !defect[i]; c++) {
        defect[i] = image.sample(x, y, c) != 0;
      }
    }
    return Mask.of(image.width(), image.height(), defect);
  }

  /**
   * Converts a decoded AWT image, keeping grey as grey and 16-bit as 16-bit; grey with alpha becomes
   * RGBA so the alpha is not lost; fewer than 8 (or 9 to 15) bits are scaled to the full 8 (16) bit
   * range. Samples are taken as stored, without colour management.
   *
   * @throws IllegalArgumentException for floating-point samples
   */
  public static Image fromBufferedImage(BufferedImage source) {
    Raster raster = source.getRaster();
    ColorModel model = source.getColorModel();
    int dataType = raster.getDataBuffer().getDataType();
    if (dataType == DataBuffer.TYPE_FLOAT || dataType == DataBuffer.TYPE_DOUBLE) {
      throw new IllegalArgumentException("floating-point samples are not supported (8- or 16-bit integers only)");
    }
    int width = source.getWidth();
    int height = source.getHeight();
    int spaceType = model.getColorSpace().getType();
    boolean component = model instanceof ComponentColorModel
        && (dataType == DataBuffer.TYPE_BYTE || dataType == DataBuffer.TYPE_USHORT)
        && (spaceType == ColorSpace.TYPE_GRAY || spaceType == ColorSpace.TYPE_RGB);
    if (component) {
      if (model.isAlphaPremultiplied()) {
        source.coerceData(false);
        raster = source.getRaster();
      }
      return fromComponents(raster, model, width, height, spaceType == ColorSpace.TYPE_GRAY);
    }
    if (model instanceof IndexColorModel palette && isGreyPalette(palette)) {
      byte[] pixels = new byte[Math.multiplyExact(width, height)];
      int[] indices = new int[width];
      for (int y = 0; y < height; y++) {
        raster.getSamples(0, y, width, 1, 0, indices);
        for (int x = 0; x < width; x++) {
          pixels[y * width + x] = (byte) palette.getRed(indices[x]);
        }
      }
      return Image.of8Bit(width, height, 1, pixels);
    }
    // Colour palettes, packed int pixels, CMYK...: through the colour model as 8-bit sRGB, row by
    // row so a large image needs no whole-image int array beside its pixels.
    boolean alpha = model.hasAlpha();
    int channels = alpha ? 4 : 3;
    byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(width, height), channels)];
    int[] argb = new int[width];
    for (int y = 0; y < height; y++) {
      source.getRGB(0, y, width, 1, argb, 0, width);
      for (int x = 0; x < width; x++) {
        int p = argb[x];
        int o = (y * width + x) * channels;
        pixels[o] = (byte) (p >>> 16);
        pixels[o + 1] = (byte) (p >>> 8);
        pixels[o + 2] = (byte) p;
        if (alpha) {
          pixels[o + 3] = (byte) (p >>> 24);
        }
      }
    }
    return Image.of8Bit(width, height, channels, pixels);
  }

  /** Samples row by row into the image's own array: no whole-image int arrays (a 12k x 12k scan is 576 MB each). */
  private static Image fromComponents(Raster raster, ColorModel model, int width, int height, boolean grey) {
    int bands = raster.getNumBands();
    int bits = model.getComponentSize(0);
    boolean sixteenBit = bits > 8;
    int targetMax = sixteenBit ? 0xFFFF : 0xFF;
    int sourceMax = (1 << bits) - 1;
    // Grey + alpha has no form of its own in Image: grey is repeated into RGB, alpha kept.
    int channels = grey ? (bands == 2 ? 4 : 1) : (bands >= 4 ? 4 : 3);
    int total = Math.multiplyExact(Math.multiplyExact(width, height), channels);
    short[] pixels16 = sixteenBit ? new short[total] : null;
    byte[] pixels8 = sixteenBit ? null : new byte[total];
    int[] row = new int[width * bands];
    int[] pixel = new int[channels];
    for (int y = 0; y < height; y++) {
      raster.getPixels(0, y, width, 1, row);
      for (int x = 0; x < width; x++) {
        int in = x * bands;
        if (grey && channels == 4) {
          pixel[0] = row[in];
          pixel[1] = row[in];
          pixel[2] = row[in];
          pixel[3] = row[in + 1];
        } else {
          for (int c = 0; c < channels; c++) {
            pixel[c] = row[in + c];
          }
        }
        int o = (y * width + x) * channels;
        for (int c = 0; c < channels; c++) {
          int v = sourceMax == targetMax ? pixel[c] : (int) ((long) pixel[c] * targetMax / sourceMax);
          if (sixteenBit) {
            pixels16[o + c] = (short) v;
          } else {
            pixels8[o + c] = (byte) v;
          }
        }
      }
    }
    return sixteenBit ? Image.of16Bit(width, height, channels, pixels16) : Image.of8Bit(width, height, channels, pixels8);
  }

  private static boolean isGreyPalette(IndexColorModel palette) {
    if (palette.hasAlpha() && palette.getTransparency() != Transparency.OPAQUE) {
      return false;
    }
    for (int i = 0; i < palette.getMapSize(); i++) {
      int r = palette.getRed(i);
      if (r != palette.getGreen(i) || r != palette.getBlue(i)) {
        return false;
      }
    }
    return true;
  }

  /** An 8-bit AWT image of {@code image} (grey or RGB; alpha kept), for drawing and encoding. */
  public static BufferedImage toBufferedImage(Image image) {
    int width = image.width();
    int height = image.height();
    if (image.channels() == 1) {
      BufferedImage grey = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
      int[] samples = new int[width * height];
      for (int i = 0; i < samples.length; i++) {
        samples[i] = image.sample(i % width, i / width, 0) * 255 / image.maxValue();
      }
      grey.getRaster().setSamples(0, 0, width, height, 0, samples);
      return grey;
    }
    boolean alpha = image.channels() == 4;
    BufferedImage rgb = new BufferedImage(width, height, alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
    int[] argb = new int[width * height];
    int max = image.maxValue();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = image.sample(x, y, 0) * 255 / max;
        int g = image.sample(x, y, 1) * 255 / max;
        int b = image.sample(x, y, 2) * 255 / max;
        int a = alpha ? image.sample(x, y, 3) * 255 / max : 255;
        argb[y * width + x] = a << 24 | r << 16 | g << 8 | b;
      }
    }
    rgb.setRGB(0, 0, width, height, argb, 0, width);
    return rgb;
  }

  /**
   * An AWT image with the same samples as {@code image}: 16-bit stays 16-bit (for lossless
   * encoding as PNG or TIFF), 8-bit as {@link #toBufferedImage}.
   */
  public static BufferedImage toLosslessBufferedImage(Image image) {
    if (image.bitDepth() == 8) {
      return toBufferedImage(image);
    }
    int width = image.width();
    int height = image.height();
    int channels = image.channels();
    ColorSpace space = ColorSpace.getInstance(channels == 1 ? ColorSpace.CS_GRAY : ColorSpace.CS_sRGB);
    boolean alpha = channels == 4;
    ComponentColorModel model = new ComponentColorModel(
        space, alpha, false, alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = model.createCompatibleWritableRaster(width, height);
    short[] source = image.pixels16();
    int[] samples = new int[source.length];
    for (int i = 0; i < samples.length; i++) {
      samples[i] = source[i] & 0xFFFF;
    }
    raster.setPixels(0, 0, width, height, samples);
    return new BufferedImage(model, raster, false, null);
  }

  /** Writes a PNG atomically: readers never see a half-written file. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    write(image, "png", file);
  }

  /** Writes {@code image} as a PNG atomically, losslessly (16-bit stays 16-bit). */
  public static void writePng(Image image, Path file) throws IOException {
    writePng(toLosslessBufferedImage(image), file);
  }

  /**
   * Writes an image atomically in an Image I/O format ("png", "bmp", "tiff", "jpeg"...): it is
   * encoded to a hidden temporary file beside the target and moved into place.
   */
  public static void write(BufferedImage image, String format, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, "." + file.getFileName(), ".part");
    try {
      if (!ImageIO.write(image, format, partial.toFile())) {
        throw new IOException("no " + format + " writer for " + image);
      }
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static void requireFile(Path file) throws NoSuchFileException {
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no such image file");
    }
  }

  private static String describe(Exception e) {
    if (e instanceof java.io.EOFException) {
      return "the file ends before the image does (truncated?)";
    }
    if (e instanceof RuntimeException) {
      // Decoders meeting corrupt data fail with index or argument errors whose text means nothing to a user.
      return "corrupt image data (" + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")";
    }
    return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
  }
}
