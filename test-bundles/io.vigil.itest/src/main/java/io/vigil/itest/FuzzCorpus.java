package io.vigil.itest;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Odd and broken image files for the bad-input tests: valid but unusual images (1x1, 1xN, 16-bit
 * and palette PNGs with alpha, grey+alpha, CMYK and YCCK JPEGs, EXIF-rotated JPEGs, float and
 * multi-page TIFFs, animated GIFs), the same truncated at random offsets or with bytes flipped,
 * empty files, random bytes under image extensions, a valid image under another format's extension,
 * and headers that claim 100,000 x 100,000 pixels. The same seed writes the same bytes.
 *
 * <p>File names start with a running number and say what the file is ({@code 0042-truncated-png.png}),
 * so a failing assertion names the case.
 */
final class FuzzCorpus {
  /** One kind of file, made from the generator's random numbers. */
  private interface Kind {
    Sample make(Random random) throws IOException;
  }

  /** A file's content, extension and what it is. */
  private record Sample(String what, String extension, byte[] bytes) {}

  private static final String[] EXTENSIONS = {"png", "jpg", "jpeg", "bmp", "tif", "tiff", "gif"};

  private FuzzCorpus() {}

  /** Writes {@code count} files into {@code directory} (created) and returns them in the order written. */
  static List<Path> write(Path directory, long seed, int count) throws IOException {
    Files.createDirectories(directory);
    Random random = new Random(seed);
    List<Kind> kinds = kinds();
    List<Path> files = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      Sample sample = kinds.get(i % kinds.size()).make(random);
      Path file = directory.resolve(String.format(Locale.ROOT, "%04d-%s.%s", i, sample.what(), sample.extension()));
      Files.write(file, sample.bytes());
      files.add(file);
    }
    return files;
  }

  private static List<Kind> kinds() {
    List<Kind> kinds = new ArrayList<>();
    // Valid but unusual images, several times each so every variant comes up often.
    for (int i = 0; i < 4; i++) {
      kinds.add(FuzzCorpus::oddValid);
    }
    kinds.add(r -> truncated(r, "png"));
    kinds.add(r -> truncated(r, "jpg"));
    kinds.add(r -> truncated(r, "bmp"));
    kinds.add(r -> truncated(r, "tif"));
    kinds.add(r -> truncated(r, "gif"));
    kinds.add(FuzzCorpus::flipped);
    kinds.add(FuzzCorpus::flipped);
    kinds.add(r -> new Sample("empty", pick(r, EXTENSIONS), new byte[0]));
    kinds.add(FuzzCorpus::randomBytes);
    kinds.add(FuzzCorpus::magicThenRandom);
    kinds.add(FuzzCorpus::bomb);
    kinds.add(FuzzCorpus::wrongExtension);
    kinds.add(FuzzCorpus::brokenExif);
    return kinds;
  }

  // ---------------------------------------------------------------- valid but unusual

  private static Sample oddValid(Random random) throws IOException {
    int[] size = size(random);
    int w = size[0];
    int h = size[1];
    return switch (random.nextInt(16)) {
      case 0 -> new Sample("grey8-png", "png", encode(grey(random, w, h, 8, false), "png"));
      case 1 -> new Sample("grey16-png", "png", encode(grey(random, w, h, 16, false), "png"));
      case 2 -> new Sample("grey-alpha-png", "png", encode(grey(random, w, h, 8, true), "png"));
      case 3 -> new Sample("grey-alpha16-png", "png", encode(grey(random, w, h, 16, true), "png"));
      case 4 -> new Sample("rgba16-png", "png", encode(rgb(random, w, h, 16, true), "png"));
      case 5 -> new Sample("palette-alpha-png", "png", encode(palette(random, w, h, true), "png"));
      case 6 -> new Sample("palette-gif", "gif", encode(palette(random, w, h, false), "gif"));
      case 7 -> new Sample("animated-gif", "gif", animatedGif(random, w, h));
      case 8 -> new Sample("rgb-jpeg", "jpg", encode(rgb(random, w, h, 8, false), "jpeg"));
      case 9 -> new Sample("cmyk-jpeg", "jpg", fourChannelJpeg(random, w, h, 0));
      case 10 -> new Sample("ycck-jpeg", "jpg", fourChannelJpeg(random, w, h, 2));
      case 11 -> {
        int orientation = 1 + random.nextInt(8);
        yield new Sample("exif" + orientation + "-jpeg", "jpeg",
            withApp1(encode(grey(random, w, h, 8, false), "jpeg"), exifOrientation(orientation)));
      }
      case 12 -> new Sample("float-tiff", "tif", encode(floatGrey(random, w, h), "tiff"));
      case 13 -> new Sample("multipage-tiff", "tiff", multiPageTiff(random, w, h));
      case 14 -> new Sample("grey16-tiff", "tif", encode(grey(random, w, h, 16, false), "tiff"));
      default -> new Sample("indexed-bmp", "bmp", encode(palette(random, w, h, false), "bmp"));
    };
  }

  /** Mostly small; one in four is 1x1, 1xN or Nx1, now and then a long line. */
  private static int[] size(Random random) {
    int w = 2 + random.nextInt(48);
    int h = 2 + random.nextInt(48);
    switch (random.nextInt(8)) {
      case 0 -> {
        w = 1;
        h = 1;
      }
      case 1 -> w = 1;
      case 2 -> h = 1;
      default -> {
        // small
      }
    }
    if (random.nextInt(40) == 0) {
      int line = 2000 + random.nextInt(3000);
      return random.nextBoolean() ? new int[] {1, line} : new int[] {line, 1};
    }
    return new int[] {w, h};
  }

  private static BufferedImage grey(Random random, int w, int h, int bits, boolean alpha) {
    ColorSpace grey = ColorSpace.getInstance(ColorSpace.CS_GRAY);
    ComponentColorModel model = new ComponentColorModel(grey, alpha, false,
        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
    return filled(random, model, w, h, (1 << bits) - 1);
  }

  private static BufferedImage rgb(Random random, int w, int h, int bits, boolean alpha) {
    if (bits == 8 && !alpha) {
      BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_3BYTE_BGR);
      fill(random, image.getRaster(), 255);
      return image;
    }
    ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), alpha, false,
        alpha ? Transparency.TRANSLUCENT : Transparency.OPAQUE, bits == 16 ? DataBuffer.TYPE_USHORT : DataBuffer.TYPE_BYTE);
    return filled(random, model, w, h, (1 << bits) - 1);
  }

  private static BufferedImage filled(Random random, ComponentColorModel model, int w, int h, int max) {
    WritableRaster raster = model.createCompatibleWritableRaster(w, h);
    fill(random, raster, max);
    return new BufferedImage(model, raster, false, null);
  }

  /** A smooth pattern with noise, so lossy encoders have something to keep. */
  private static void fill(Random random, WritableRaster raster, int max) {
    double phase = random.nextDouble() * 6;
    for (int y = 0; y < raster.getHeight(); y++) {
      for (int x = 0; x < raster.getWidth(); x++) {
        for (int b = 0; b < raster.getNumBands(); b++) {
          double v = 0.5 + 0.3 * Math.sin(x * 0.4 + phase + b) * Math.cos(y * 0.3) + 0.1 * random.nextGaussian();
          raster.setSample(x, y, b, (int) Math.max(0, Math.min(max, v * max)));
        }
      }
    }
  }

  private static BufferedImage palette(Random random, int w, int h, boolean alpha) {
    int colours = 2 + random.nextInt(255);
    byte[] r = new byte[colours];
    byte[] g = new byte[colours];
    byte[] b = new byte[colours];
    byte[] a = new byte[colours];
    random.nextBytes(r);
    random.nextBytes(g);
    random.nextBytes(b);
    random.nextBytes(a);
    IndexColorModel model = alpha ? new IndexColorModel(8, colours, r, g, b, a) : new IndexColorModel(8, colours, r, g, b);
    BufferedImage image = new BufferedImage(w, h, BufferedImage.TYPE_BYTE_INDEXED, model);
    WritableRaster raster = image.getRaster();
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, random.nextInt(colours));
      }
    }
    return image;
  }

  private static BufferedImage floatGrey(Random random, int w, int h) {
    ComponentColorModel model = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_GRAY), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_FLOAT);
    WritableRaster raster = model.createCompatibleWritableRaster(w, h);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        raster.setSample(x, y, 0, random.nextFloat());
      }
    }
    return new BufferedImage(model, raster, false, null);
  }

  private static byte[] animatedGif(Random random, int w, int h) throws IOException {
    List<BufferedImage> frames = new ArrayList<>();
    for (int i = 0, n = 2 + random.nextInt(4); i < n; i++) {
      frames.add(palette(random, w, h, false));
    }
    return sequence("gif", frames);
  }

  private static byte[] multiPageTiff(Random random, int w, int h) throws IOException {
    List<BufferedImage> pages = new ArrayList<>();
    for (int i = 0, n = 2 + random.nextInt(3); i < n; i++) {
      pages.add(random.nextBoolean() ? grey(random, w, h, 8, false) : rgb(random, w + i, h, 8, false));
    }
    return sequence("tiff", pages);
  }

  /**
   * A JPEG with four components and an Adobe APP14 marker: transform 0 is CMYK, 2 is YCCK. Image
   * I/O writes four-band rasters without a colour space; the marker says what they are.
   */
  private static byte[] fourChannelJpeg(Random random, int w, int h, int transform) throws IOException {
    WritableRaster raster = Raster.createInterleavedRaster(DataBuffer.TYPE_BYTE, w, h, 4, null);
    fill(random, raster, 255);
    ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(null, new IIOImage(raster, null, null), writer.getDefaultWriteParam());
    } finally {
      writer.dispose();
    }
    byte[] adobe = {(byte) 0xFF, (byte) 0xEE, 0, 14, 'A', 'd', 'o', 'b', 'e', 0, 100, 0, 0, 0, 0, (byte) transform};
    return insertAfterSoi(out.toByteArray(), adobe);
  }

  private static byte[] encode(BufferedImage image, String format) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    if (!ImageIO.write(image, format, out)) {
      throw new IOException("no " + format + " writer for " + image);
    }
    return out.toByteArray();
  }

  private static byte[] sequence(String format, List<BufferedImage> images) throws IOException {
    ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (ImageOutputStream stream = ImageIO.createImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.prepareWriteSequence(null);
      for (BufferedImage image : images) {
        writer.writeToSequence(new IIOImage(image, null, null), null);
      }
      writer.endWriteSequence();
    } finally {
      writer.dispose();
    }
    return out.toByteArray();
  }

  /** A valid image in {@code format}: what the broken kinds start from. */
  private static byte[] valid(Random random, String format) throws IOException {
    int[] size = {2 + random.nextInt(40), 2 + random.nextInt(40)};
    return switch (format) {
      case "png" -> encode(random.nextBoolean() ? grey(random, size[0], size[1], 16, true)
          : palette(random, size[0], size[1], true), "png");
      case "jpg" -> random.nextBoolean() ? encode(rgb(random, size[0], size[1], 8, false), "jpeg")
          : fourChannelJpeg(random, size[0], size[1], 2 * random.nextInt(2));
      case "bmp" -> encode(random.nextBoolean() ? rgb(random, size[0], size[1], 8, false)
          : palette(random, size[0], size[1], false), "bmp");
      case "tif" -> random.nextBoolean() ? multiPageTiff(random, size[0], size[1])
          : encode(grey(random, size[0], size[1], 16, false), "tiff");
      default -> random.nextBoolean() ? animatedGif(random, size[0], size[1])
          : encode(palette(random, size[0], size[1], false), "gif");
    };
  }

  // ---------------------------------------------------------------- broken

  private static Sample truncated(Random random, String format) throws IOException {
    byte[] whole = valid(random, format);
    int keep = 1 + random.nextInt(whole.length - 1);
    return new Sample("truncated-" + format, format, Arrays.copyOf(whole, keep));
  }

  /** A valid file with one to eight bytes overwritten (past the first two, so most still look like the format). */
  private static Sample flipped(Random random) throws IOException {
    String format = pick(random, new String[] {"png", "jpg", "bmp", "tif", "gif"});
    byte[] bytes = valid(random, format);
    for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
      bytes[2 + random.nextInt(bytes.length - 2)] = (byte) random.nextInt(256);
    }
    return new Sample("flipped-" + format, format, bytes);
  }

  private static Sample randomBytes(Random random) {
    byte[] bytes = new byte[1 + random.nextInt(4096)];
    random.nextBytes(bytes);
    return new Sample("random", pick(random, EXTENSIONS), bytes);
  }

  /** A format's signature, then noise: the reader is chosen, then fed garbage. */
  private static Sample magicThenRandom(Random random) {
    byte[][] magics = {
      {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10},
      {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF},
      {'B', 'M'},
      {'I', 'I', 42, 0},
      {'M', 'M', 0, 42},
      {'G', 'I', 'F', '8', '9', 'a'},
    };
    String[] extensions = {"png", "jpg", "bmp", "tif", "tiff", "gif"};
    int which = random.nextInt(magics.length);
    byte[] bytes = new byte[magics[which].length + random.nextInt(2048)];
    random.nextBytes(bytes);
    System.arraycopy(magics[which], 0, bytes, 0, magics[which].length);
    return new Sample("magic-random", extensions[which], bytes);
  }

  /** A valid image of one format named as another. */
  private static Sample wrongExtension(Random random) throws IOException {
    String format = pick(random, new String[] {"png", "jpg", "bmp", "tif", "gif"});
    String extension = pick(random, EXTENSIONS);
    return new Sample("wrong-extension-" + format, extension, valid(random, format));
  }

  /** A JPEG whose EXIF block is noise, or points outside itself: the image must still be read (as stored). */
  private static Sample brokenExif(Random random) throws IOException {
    byte[] jpeg = encode(grey(random, 2 + random.nextInt(30), 2 + random.nextInt(30), 8, false), "jpeg");
    byte[] exif;
    if (random.nextBoolean()) {
      exif = new byte[6 + 8 + random.nextInt(200)];
      random.nextBytes(exif);
      System.arraycopy("Exif\0\0".getBytes(StandardCharsets.ISO_8859_1), 0, exif, 0, 6);
    } else {
      exif = exifOrientation(1 + random.nextInt(8));
      ByteBuffer.wrap(exif).putInt(10, random.nextInt()); // IFD0 offset anywhere
    }
    return new Sample("broken-exif", "jpg", withApp1(jpeg, exif));
  }

  /** Headers claiming a huge image (decompression bombs): 100,000 x 100,000 where the format can say it. */
  private static Sample bomb(Random random) throws IOException {
    return switch (random.nextInt(5)) {
      case 0 -> new Sample("bomb-png", "png", pngHeaderOnly(100_000, 100_000));
      case 1 -> new Sample("bomb-bmp", "bmp", bmpHeaderOnly(100_000, 100_000));
      case 2 -> new Sample("bomb-tiff", "tif", tiffHeaderOnly(100_000, 100_000));
      // JPEG and GIF store sizes in 16 bits: 65,535 x 65,535 is their largest claim.
      case 3 -> new Sample("bomb-jpeg", "jpg", resizedJpeg(encode(grey(random, 8, 8, 8, false), "jpeg"), 65_535, 65_535));
      default -> new Sample("bomb-gif", "gif", resizedGif(encode(palette(random, 8, 8, false), "gif"), 65_535, 65_535));
    };
  }

  private static byte[] pngHeaderOnly(int width, int height) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 13, 10, 26, 10});
    ByteBuffer header = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 0)
        .put((byte) 0).put((byte) 0).put((byte) 0);
    pngChunk(out, "IHDR", header.array());
    Deflater deflater = new Deflater();
    deflater.setInput(new byte[1024]); // a few zero rows' worth, far from the whole image
    deflater.finish();
    byte[] compressed = new byte[1024];
    int length = deflater.deflate(compressed);
    deflater.end();
    pngChunk(out, "IDAT", Arrays.copyOf(compressed, length));
    pngChunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  private static void pngChunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] name = type.getBytes(StandardCharsets.US_ASCII);
    CRC32 crc = new CRC32();
    crc.update(name);
    crc.update(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
    out.writeBytes(name);
    out.writeBytes(data);
    out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
  }

  private static byte[] bmpHeaderOnly(int width, int height) {
    ByteBuffer bmp = ByteBuffer.allocate(54 + 64).order(ByteOrder.LITTLE_ENDIAN);
    bmp.put((byte) 'B').put((byte) 'M').putInt(54 + 64).putInt(0).putInt(54);
    bmp.putInt(40).putInt(width).putInt(height).putShort((short) 1).putShort((short) 24).putInt(0)
        .putInt(0).putInt(2835).putInt(2835).putInt(0).putInt(0);
    return bmp.array();
  }

  /** A baseline grey TIFF whose one strip is 64 bytes long. */
  private static byte[] tiffHeaderOnly(int width, int height) {
    int entries = 8;
    int ifd = 8;
    int data = ifd + 2 + entries * 12 + 4;
    ByteBuffer tiff = ByteBuffer.allocate(data + 64).order(ByteOrder.LITTLE_ENDIAN);
    tiff.put((byte) 'I').put((byte) 'I').putShort((short) 42).putInt(ifd);
    tiff.putShort((short) entries);
    tiffEntry(tiff, 256, 4, width); // ImageWidth, LONG
    tiffEntry(tiff, 257, 4, height); // ImageLength
    tiffEntry(tiff, 258, 3, 8); // BitsPerSample
    tiffEntry(tiff, 259, 3, 1); // Compression: none
    tiffEntry(tiff, 262, 3, 1); // Photometric: black is zero
    tiffEntry(tiff, 273, 4, data); // StripOffsets
    tiffEntry(tiff, 278, 4, height); // RowsPerStrip
    tiffEntry(tiff, 279, 4, 64); // StripByteCounts
    tiff.putInt(0);
    return tiff.array();
  }

  private static void tiffEntry(ByteBuffer tiff, int tag, int type, int value) {
    tiff.putShort((short) tag).putShort((short) type).putInt(1);
    if (type == 3) {
      tiff.putShort((short) value).putShort((short) 0);
    } else {
      tiff.putInt(value);
    }
  }

  /** The JPEG with its frame header (SOF0) claiming another size. */
  private static byte[] resizedJpeg(byte[] jpeg, int width, int height) {
    byte[] out = jpeg.clone();
    for (int i = 2; i + 8 < out.length; i++) {
      if ((out[i] & 0xFF) == 0xFF && (out[i + 1] & 0xFF) == 0xC0) {
        ByteBuffer.wrap(out, i + 5, 4).putShort((short) height).putShort((short) width);
        return out;
      }
    }
    throw new UncheckedIOException(new IOException("no SOF0 in the JPEG"));
  }

  /** The GIF with its logical screen and first image descriptor claiming another size. */
  private static byte[] resizedGif(byte[] gif, int width, int height) {
    byte[] out = gif.clone();
    ByteBuffer buffer = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    buffer.putShort(6, (short) width).putShort(8, (short) height);
    int flags = out[10] & 0xFF;
    int i = 13 + ((flags & 0x80) != 0 ? 3 << ((flags & 7) + 1) : 0); // after the global colour table
    while (i < out.length && out[i] == 0x21) { // extensions: label, then sub-blocks up to a zero length
      i += 2;
      while (i < out.length && out[i] != 0) {
        i += (out[i] & 0xFF) + 1;
      }
      i++;
    }
    if (i + 9 >= out.length || out[i] != 0x2C) {
      throw new UncheckedIOException(new IOException("no image descriptor in the GIF"));
    }
    buffer.putShort(i + 5, (short) width).putShort(i + 7, (short) height);
    return out;
  }

  /** An EXIF block ("Exif\0\0" and a big-endian TIFF structure) holding only the orientation. */
  private static byte[] exifOrientation(int orientation) {
    return new byte[] {
      'E', 'x', 'i', 'f', 0, 0,
      'M', 'M', 0, 42, 0, 0, 0, 8,
      0, 1,
      0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0,
      0, 0, 0, 0
    };
  }

  private static byte[] withApp1(byte[] jpeg, byte[] payload) {
    byte[] segment = new byte[4 + payload.length];
    segment[0] = (byte) 0xFF;
    segment[1] = (byte) 0xE1;
    segment[2] = (byte) ((payload.length + 2) >> 8);
    segment[3] = (byte) (payload.length + 2);
    System.arraycopy(payload, 0, segment, 4, payload.length);
    return insertAfterSoi(jpeg, segment);
  }

  private static byte[] insertAfterSoi(byte[] jpeg, byte[] segment) {
    byte[] out = new byte[jpeg.length + segment.length];
    System.arraycopy(jpeg, 0, out, 0, 2);
    System.arraycopy(segment, 0, out, 2, segment.length);
    System.arraycopy(jpeg, 2, out, 2 + segment.length, jpeg.length - 2);
    return out;
  }

  private static String pick(Random random, String[] values) {
    return values[random.nextInt(values.length)];
  }
}
