package io.vigil.source.mvtec.internal;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds tiny data sets on disk for the format tests. */
final class Layouts {
  private Layouts() {}

  /** A grey image file of the given size (format from the extension). */
  static Path image(Path file, int width, int height) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] pixels = new byte[width * height];
    for (int i = 0; i < pixels.length; i++) {
      pixels[i] = (byte) (i * 7);
    }
    String name = file.getFileName().toString().toLowerCase();
    String format = name.endsWith(".jpg") || name.endsWith(".jpeg") ? "jpeg" : "png";
    ImageFiles.write(ImageFiles.toBufferedImage(Image.of8Bit(width, height, 1, pixels)), format, file);
    return file;
  }

  /** A binary mask with {@code defects} pixels set (0/255). */
  static Path mask(Path file, int width, int height, int defects) throws IOException {
    Files.createDirectories(file.getParent());
    byte[] pixels = new byte[width * height];
    for (int i = 0; i < defects; i++) {
      pixels[i] = (byte) 255;
    }
    ImageFiles.writePng(Image.of8Bit(width, height, 1, pixels), file);
    return file;
  }

  /** MVTec AD: train/good 2, test/good 1, test/crack 2 with masks; JPEG images when asked. */
  static Path mvtecAd(Path category, String extension) throws IOException {
    image(category.resolve("train/good/000." + extension), 8, 6);
    image(category.resolve("train/good/001." + extension), 8, 6);
    image(category.resolve("test/good/000." + extension), 8, 6);
    image(category.resolve("test/crack/000." + extension), 8, 6);
    image(category.resolve("test/crack/001." + extension), 8, 6);
    mask(category.resolve("ground_truth/crack/000_mask.png"), 8, 6, 3);
    mask(category.resolve("ground_truth/crack/001_mask.png"), 8, 6, 5);
    return category;
  }
}
