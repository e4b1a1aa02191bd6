package io.vigil.ui.swt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.nio.file.Path;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.RGB;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageDataPngTest {

  @Test
  void directPalettesOfEitherByteOrderBecomeRgb(@TempDir Path directory) throws Exception {
    // GTK captures come back as 32-bit BGR-ordered direct pixels; files as 24-bit RGB.
    for (PaletteData palette : new PaletteData[] {
        new PaletteData(0xFF0000, 0xFF00, 0xFF), new PaletteData(0xFF00, 0xFF0000, 0xFF000000)}) {
      int depth = palette.blueMask == 0xFF ? 24 : 32;
      ImageData data = new ImageData(2, 1, depth, palette);
      data.setPixel(0, 0, palette.getPixel(new RGB(200, 10, 30)));
      data.setPixel(1, 0, palette.getPixel(new RGB(0, 255, 128)));
      Path file = directory.resolve("shot-" + depth + ".png");
      ImageDataPng.write(data, file);
      Image image = ImageFiles.read(file);
      assertEquals(3, image.channels());
      assertEquals(200, image.sample(0, 0, 0));
      assertEquals(10, image.sample(0, 0, 1));
      assertEquals(30, image.sample(0, 0, 2));
      assertEquals(0, image.sample(1, 0, 0));
      assertEquals(255, image.sample(1, 0, 1));
      assertEquals(128, image.sample(1, 0, 2));
    }
  }

  @Test
  void indexedPalettesAreLookedUp() {
    PaletteData palette = new PaletteData(new RGB(0, 0, 0), new RGB(10, 20, 30));
    ImageData data = new ImageData(1, 2, 1, palette);
    data.setPixel(0, 1, 1);
    Image image = ImageDataPng.toRgb(data);
    assertEquals(0, image.sample(0, 0, 2));
    assertEquals(30, image.sample(0, 1, 2));
  }
}
