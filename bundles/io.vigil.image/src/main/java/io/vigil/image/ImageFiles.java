package io.vigil.image;

import io.vigil.api.image.Image;
import io.vigil.api.image.Mask;
import java.awt.image.BufferedImage;
import java.awt.image.DataBuffer;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import javax.imageio.ImageIO;

/** Reads and writes image files with the JDK's Image I/O (PNG, JPEG, BMP, TIFF, GIF). */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * Decodes an image file: grey stays one channel, colour becomes RGB or RGBA, 16-bit samples
   * stay 16-bit.
   *
   * @throws ImageFormatException when the file is not a readable image
   * @throws IOException when the file cannot be read at all
   */
  public static Image read(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new java.nio.file.NoSuchFileException(file.toString(), null, "no such image file");
    }
    BufferedImage decoded;
    try {
      decoded = ImageIO.read(file.toFile());
    } catch (IOException | RuntimeException e) {
      throw new ImageFormatException(file, "cannot decode: " + e.getMessage(), e);
    }
    if (decoded == null) {
      throw new ImageFormatException(file, "not an image in a supported format (PNG, JPEG, BMP, TIFF, GIF)", null);
    }
    return fromBufferedImage(decoded);
  }

  /** Reads a mask image: any non-zero sample of the first channel marks a defect pixel. */
  public static Mask readMask(Path file) throws IOException {
    Image image = read(file);
    int pixels = image.width() * image.height();
    boolean[] defect = new boolean[pixels];
    for (int i = 0; i < pixels; i++) {
      defect[i] = image.sample(i % image.width(), i / image.width(), 0) != 0;
    }
    return Mask.of(image.width(), image.height(), defect);
  }

  /** Converts a decoded AWT image, keeping grey as grey and 16-bit as 16-bit. */
  public static Image fromBufferedImage(BufferedImage source) {
    Raster raster = source.getRaster();
    int width = source.getWidth();
    int height = source.getHeight();
    int bands = raster.getNumBands();
    boolean sixteenBit = raster.getDataBuffer().getDataType() == DataBuffer.TYPE_USHORT;
    boolean grey = source.getColorModel().getNumColorComponents() == 1 && source.getColorModel().getColorSpace()
        .getType() == java.awt.color.ColorSpace.TYPE_GRAY;
    if (grey && bands <= 2) {
      int[] samples = raster.getSamples(0, 0, width, height, 0, (int[]) null);
      if (sixteenBit) {
        short[] pixels = new short[samples.length];
        for (int i = 0; i < samples.length; i++) {
          pixels[i] = (short) samples[i];
        }
        return Image.of16Bit(width, height, 1, pixels);
      }
      byte[] pixels = new byte[samples.length];
      for (int i = 0; i < samples.length; i++) {
        pixels[i] = (byte) samples[i];
      }
      return Image.of8Bit(width, height, 1, pixels);
    }
    boolean alpha = source.getColorModel().hasAlpha();
    int channels = alpha ? 4 : 3;
    if (sixteenBit && bands >= 3 && source.getColorModel().getColorSpace().isCS_sRGB()) {
      short[] pixels = new short[width * height * channels];
      for (int c = 0; c < channels; c++) {
        int[] band = raster.getSamples(0, 0, width, height, c, (int[]) null);
        for (int i = 0; i < band.length; i++) {
          pixels[i * channels + c] = (short) band[i];
        }
      }
      return Image.of16Bit(width, height, channels, pixels);
    }
    // Anything else (palette, BGR layouts, CMYK JPEG...) goes through the colour model as sRGB.
    int[] argb = source.getRGB(0, 0, width, height, null, 0, width);
    byte[] pixels = new byte[width * height * channels];
    for (int i = 0; i < argb.length; i++) {
      int p = argb[i];
      pixels[i * channels] = (byte) (p >>> 16);
      pixels[i * channels + 1] = (byte) (p >>> 8);
      pixels[i * channels + 2] = (byte) p;
      if (alpha) {
        pixels[i * channels + 3] = (byte) (p >>> 24);
      }
    }
    return Image.of8Bit(width, height, channels, pixels);
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

  /** Writes a PNG atomically: readers never see a half-written file. */
  public static void writePng(BufferedImage image, Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, "." + file.getFileName(), ".part");
    try {
      if (!ImageIO.write(image, "png", partial.toFile())) {
        throw new IOException("no PNG writer for " + image);
      }
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  public static void writePng(Image image, Path file) throws IOException {
    writePng(toBufferedImage(image), file);
  }
}
