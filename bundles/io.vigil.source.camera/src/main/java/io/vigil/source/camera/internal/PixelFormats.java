package io.vigil.source.camera.internal;

import io.vigil.api.image.Image;
import java.util.Map;

/**
 * GenICam pixel formats (PFNC codes as Aravis reports them) to Vigil images: mono 8 and 10 to 16
 * bit (little-endian, unpacked), RGB and BGR 8, RGBa and BGRa 8, and the four Bayer mosaics at 8
 * and 10 to 16 bit, demosaiced to RGB by bilinear interpolation.
 */
final class PixelFormats {
  static final int MONO8 = 0x01080001;
  static final int MONO10 = 0x01100003;
  static final int MONO12 = 0x01100005;
  static final int MONO14 = 0x01100025;
  static final int MONO16 = 0x01100007;
  static final int RGB8 = 0x02180014;
  static final int BGR8 = 0x02180015;
  static final int RGBA8 = 0x02200016;
  static final int BGRA8 = 0x02200017;
  static final int BAYER_GR8 = 0x01080008;
  static final int BAYER_RG8 = 0x01080009;
  static final int BAYER_GB8 = 0x0108000A;
  static final int BAYER_BG8 = 0x0108000B;
  static final int BAYER_GR10 = 0x0110000C;
  static final int BAYER_RG10 = 0x0110000D;
  static final int BAYER_GB10 = 0x0110000E;
  static final int BAYER_BG10 = 0x0110000F;
  static final int BAYER_GR12 = 0x01100010;
  static final int BAYER_RG12 = 0x01100011;
  static final int BAYER_GB12 = 0x01100012;
  static final int BAYER_BG12 = 0x01100013;
  static final int BAYER_GR16 = 0x0110002E;
  static final int BAYER_RG16 = 0x0110002F;
  static final int BAYER_GB16 = 0x01100030;
  static final int BAYER_BG16 = 0x01100031;

  /** Colour of the mosaic cell at (x & 1, y & 1): index (y & 1) * 2 + (x & 1); 0 R, 1 G, 2 B. */
  private static final Map<String, int[]> MOSAICS = Map.of(
      "RG", new int[] {0, 1, 1, 2},
      "GR", new int[] {1, 0, 2, 1},
      "GB", new int[] {1, 2, 0, 1},
      "BG", new int[] {2, 1, 1, 0});

  private static final Map<Integer, String> NAMES = Map.ofEntries(
      Map.entry(MONO8, "Mono8"), Map.entry(MONO10, "Mono10"), Map.entry(MONO12, "Mono12"),
      Map.entry(MONO14, "Mono14"), Map.entry(MONO16, "Mono16"), Map.entry(RGB8, "RGB8"), Map.entry(BGR8, "BGR8"),
      Map.entry(RGBA8, "RGBa8"), Map.entry(BGRA8, "BGRa8"),
      Map.entry(BAYER_GR8, "BayerGR8"), Map.entry(BAYER_RG8, "BayerRG8"), Map.entry(BAYER_GB8, "BayerGB8"),
      Map.entry(BAYER_BG8, "BayerBG8"), Map.entry(BAYER_GR10, "BayerGR10"), Map.entry(BAYER_RG10, "BayerRG10"),
      Map.entry(BAYER_GB10, "BayerGB10"), Map.entry(BAYER_BG10, "BayerBG10"), Map.entry(BAYER_GR12, "BayerGR12"),
      Map.entry(BAYER_RG12, "BayerRG12"), Map.entry(BAYER_GB12, "BayerGB12"), Map.entry(BAYER_BG12, "BayerBG12"),
      Map.entry(BAYER_GR16, "BayerGR16"), Map.entry(BAYER_RG16, "BayerRG16"), Map.entry(BAYER_GB16, "BayerGB16"),
      Map.entry(BAYER_BG16, "BayerBG16"));

  private PixelFormats() {}

  /** The GenICam name, or the hex code for formats Vigil does not convert. */
  static String name(int pixelFormat) {
    String name = NAMES.get(pixelFormat);
    return name != null ? name : String.format("0x%08X", pixelFormat);
  }

  static boolean isSupported(int pixelFormat) {
    return NAMES.containsKey(pixelFormat);
  }

  /** Whole bytes per pixel from the PFNC code's size field (bits 16..23). */
  static int bytesPerPixel(int pixelFormat) {
    return Math.max(1, ((pixelFormat >>> 16) & 0xFF) / 8);
  }

  /**
   * Converts one raw frame.
   *
   * @throws IllegalArgumentException for an unsupported format or a buffer too short for its size
   */
  static Image toImage(RawFrame frame) {
    int format = frame.pixelFormat();
    String name = NAMES.get(format);
    if (name == null) {
      throw new IllegalArgumentException("pixel format " + name(format) + " is not supported; set the camera to "
          + "Mono8, Mono16, RGB8 or a Bayer format (packed formats are not read)");
    }
    int width = frame.width();
    int height = frame.height();
    int bytesPerPixel = bytesPerPixel(format);
    int rowBytes = width * bytesPerPixel;
    int stride = Math.max(frame.rowStride(), rowBytes);
    long needed = (long) stride * (height - 1) + rowBytes;
    if (frame.data().length < needed) {
      throw new IllegalArgumentException(name + " " + width + "x" + height + " needs " + needed + " bytes, the buffer has "
          + frame.data().length);
    }
    if (name.startsWith("Bayer")) {
      int[] mosaic = MOSAICS.get(name.substring(5, 7));
      int bits = Integer.parseInt(name.substring(7));
      return bits == 8 ? demosaic8(frame, stride, mosaic) : demosaic16(frame, stride, mosaic, bits);
    }
    return switch (name) {
      case "Mono8" -> Image.of8Bit(width, height, 1, rows(frame, stride, rowBytes));
      case "Mono10", "Mono12", "Mono14", "Mono16" ->
          Image.of16Bit(width, height, 1, widen(frame, stride, width, 1, Integer.parseInt(name.substring(4))));
      case "RGB8" -> Image.of8Bit(width, height, 3, rows(frame, stride, rowBytes));
      case "RGBa8" -> Image.of8Bit(width, height, 4, rows(frame, stride, rowBytes));
      case "BGR8" -> Image.of8Bit(width, height, 3, swapRedBlue(rows(frame, stride, rowBytes), 3));
      case "BGRa8" -> Image.of8Bit(width, height, 4, swapRedBlue(rows(frame, stride, rowBytes), 4));
      default -> throw new IllegalArgumentException("pixel format " + name + " is not supported");
    };
  }

  /** The image bytes without row padding. */
  private static byte[] rows(RawFrame frame, int stride, int rowBytes) {
    byte[] out = new byte[rowBytes * frame.height()];
    if (stride == rowBytes) {
      System.arraycopy(frame.data(), 0, out, 0, out.length);
    } else {
      for (int y = 0; y < frame.height(); y++) {
        System.arraycopy(frame.data(), y * stride, out, y * rowBytes, rowBytes);
      }
    }
    return out;
  }

  /** Little-endian 16-bit samples, scaled from {@code bits} to the full 16-bit range. */
  private static short[] widen(RawFrame frame, int stride, int width, int channels, int bits) {
    int shift = 16 - bits;
    byte[] data = frame.data();
    short[] out = new short[width * frame.height() * channels];
    int perRow = width * channels;
    for (int y = 0; y < frame.height(); y++) {
      int row = y * stride;
      for (int i = 0; i < perRow; i++) {
        int value = (data[row + 2 * i] & 0xFF) | (data[row + 2 * i + 1] & 0xFF) << 8;
        out[y * perRow + i] = (short) (value << shift);
      }
    }
    return out;
  }

  private static byte[] swapRedBlue(byte[] pixels, int channels) {
    for (int i = 0; i < pixels.length; i += channels) {
      byte red = pixels[i + 2];
      pixels[i + 2] = pixels[i];
      pixels[i] = red;
    }
    return pixels;
  }

  private static Image demosaic8(RawFrame frame, int stride, int[] mosaic) {
    int width = frame.width();
    int height = frame.height();
    int[] samples = new int[width * height];
    byte[] data = frame.data();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        samples[y * width + x] = data[y * stride + x] & 0xFF;
      }
    }
    int[] rgb = bilinear(samples, width, height, mosaic);
    byte[] out = new byte[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = (byte) rgb[i];
    }
    return Image.of8Bit(width, height, 3, out);
  }

  private static Image demosaic16(RawFrame frame, int stride, int[] mosaic, int bits) {
    int width = frame.width();
    int height = frame.height();
    short[] raw = widen(frame, stride, width, 1, bits);
    int[] samples = new int[raw.length];
    for (int i = 0; i < raw.length; i++) {
      samples[i] = raw[i] & 0xFFFF;
    }
    int[] rgb = bilinear(samples, width, height, mosaic);
    short[] out = new short[rgb.length];
    for (int i = 0; i < rgb.length; i++) {
      out[i] = (short) rgb[i];
    }
    return Image.of16Bit(width, height, 3, out);
  }

  /**
   * Bilinear demosaicing: each missing colour is the mean of the pixels of that colour in the 3x3
   * neighbourhood (4 for green at red or blue, 2 or 4 for red and blue), clipped at the borders.
   */
  static int[] bilinear(int[] samples, int width, int height, int[] mosaic) {
    int[] rgb = new int[width * height * 3];
    int[] sum = new int[3];
    int[] count = new int[3];
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int own = mosaic[(y & 1) * 2 + (x & 1)];
        sum[0] = sum[1] = sum[2] = 0;
        count[0] = count[1] = count[2] = 0;
        for (int dy = -1; dy <= 1; dy++) {
          int ny = y + dy;
          if (ny < 0 || ny >= height) {
            continue;
          }
          for (int dx = -1; dx <= 1; dx++) {
            int nx = x + dx;
            if (nx < 0 || nx >= width) {
              continue;
            }
            int colour = mosaic[(ny & 1) * 2 + (nx & 1)];
            sum[colour] += samples[ny * width + nx];
            count[colour]++;
          }
        }
        int out = (y * width + x) * 3;
        for (int c = 0; c < 3; c++) {
          rgb[out + c] = c == own ? samples[y * width + x] : count[c] == 0 ? 0 : (sum[c] + count[c] / 2) / count[c];
        }
      }
    }
    return rgb;
  }
}
