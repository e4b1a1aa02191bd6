package io.vigil.ui.views.annotate.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import io.vigil.ui.views.annotate.internal.MaskDocument.Point;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaskDocumentTest {
  @TempDir Path dir;

  @Test
  void aClickPaintsTheDiscOfTheBrushAroundIt() {
    MaskDocument mask = new MaskDocument(20, 20);
    mask.beginEdit();
    mask.brush(new Point(10, 10), new Point(10, 10), 4, false);
    // Centres within 2 px of (10, 10): rows 8..11, columns 8..11, without the four corners (distance 2.12).
    assertEquals(12, mask.defectPixelCount());
    assertTrue(mask.isDefect(8, 9) && mask.isDefect(11, 10) && mask.isDefect(9, 8));
    assertFalse(mask.isDefect(8, 8));
    assertFalse(mask.isDefect(11, 11));
    assertFalse(mask.isDefect(12, 10));
  }

  @Test
  void aStrokeCoversTheSegmentAndTheEraserTakesPartOfItAway() {
    MaskDocument mask = new MaskDocument(30, 10);
    mask.beginEdit();
    mask.brush(new Point(5, 5), new Point(25, 5), 2, false);
    // Diameter 2 along y = 5: rows 4 and 5 (centres 4.5 and 5.5), columns 4..25 (caps of radius 1).
    assertEquals(2 * 22, mask.defectPixelCount());
    for (int x = 4; x <= 25; x++) {
      assertTrue(mask.isDefect(x, 4) && mask.isDefect(x, 5), "column " + x);
    }
    mask.beginEdit();
    mask.brush(new Point(15, 0), new Point(15, 10), 2, true);
    assertFalse(mask.isDefect(14, 4));
    assertFalse(mask.isDefect(15, 5));
    assertTrue(mask.isDefect(13, 4));
    assertEquals(2 * 20, mask.defectPixelCount());
  }

  @Test
  void aPolygonFillsThePixelsWhoseCentresAreInside() {
    MaskDocument mask = new MaskDocument(16, 16);
    mask.polygon(List.of(new Point(2, 2), new Point(10, 2), new Point(10, 6), new Point(2, 6)), false);
    assertEquals(8 * 4, mask.defectPixelCount());
    assertTrue(mask.isDefect(2, 2) && mask.isDefect(9, 5));
    assertFalse(mask.isDefect(10, 5));
    assertFalse(mask.isDefect(1, 3));

    MaskDocument triangle = new MaskDocument(16, 16);
    triangle.polygon(List.of(new Point(0, 0), new Point(16, 0), new Point(0, 16)), false);
    // Centres (x + .5, y + .5) with x + y + 1 < 16: 15 + 14 + ... + 0 pixels... plus those exactly on the edge excluded.
    int expected = 0;
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        expected += x + 0.5 < 16 - (y + 0.5) ? 1 : 0;
      }
    }
    assertEquals(expected, triangle.defectPixelCount());
    assertThrows(IllegalArgumentException.class, () -> triangle.polygon(List.of(new Point(0, 0), new Point(1, 1)), false));
  }

  @Test
  void undoRestoresThePreviousMaskAndRedoTheEdit() {
    MaskDocument mask = new MaskDocument(12, 12);
    mask.polygon(List.of(new Point(1, 1), new Point(6, 1), new Point(6, 6)), false);
    byte[] afterPolygon = mask.pixels();
    mask.beginEdit();
    mask.brush(new Point(8, 8), new Point(10, 10), 3, false);
    mask.brush(new Point(10, 10), new Point(11, 3), 3, false); // the same stroke
    byte[] afterStroke = mask.pixels();
    assertTrue(mask.undo());
    assertArrayEquals(afterPolygon, mask.pixels(), "one undo takes back the whole stroke");
    assertTrue(mask.undo());
    assertEquals(0, mask.defectPixelCount());
    assertFalse(mask.undo());
    assertTrue(mask.redo());
    assertTrue(mask.redo());
    assertArrayEquals(afterStroke, mask.pixels());
    assertFalse(mask.redo());
    mask.undo();
    mask.clear(); // a new edit drops what could be redone
    assertFalse(mask.canRedo());
  }

  @Test
  void undoKeepsABoundedHistory() {
    MaskDocument mask = new MaskDocument(4, 4);
    for (int i = 0; i < MaskDocument.UNDO_DEPTH + 5; i++) {
      mask.clear();
    }
    int undone = 0;
    while (mask.undo()) {
      undone++;
    }
    assertEquals(MaskDocument.UNDO_DEPTH, undone);
  }

  @Test
  void saveWritesA0And255PngOfTheImagesSizeThatReadsBackPixelByPixel() throws IOException {
    MaskDocument mask = new MaskDocument(23, 17);
    mask.polygon(List.of(new Point(3, 2), new Point(20, 4), new Point(9, 15)), false);
    mask.beginEdit();
    mask.brush(new Point(1, 16), new Point(22, 0), 2.5, false);
    Path file = dir.resolve("ground_truth/crack/000_mask.png");
    mask.save(file);
    assertFalse(mask.isModified());

    Image written = ImageFiles.read(file);
    assertEquals(23, written.width());
    assertEquals(17, written.height());
    assertEquals(1, written.channels());
    assertEquals(8, written.bitDepth());
    for (int y = 0; y < 17; y++) {
      for (int x = 0; x < 23; x++) {
        assertEquals(mask.isDefect(x, y) ? 255 : 0, written.sample(x, y, 0), "pixel " + x + "," + y);
      }
    }
    MaskDocument loaded = MaskDocument.load(file, 23, 17);
    assertArrayEquals(mask.pixels(), loaded.pixels());
    assertThrows(IOException.class, () -> MaskDocument.load(file, 24, 17), "a mask of another size is refused");
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertEquals(List.of(file), files.toList(), "no temporary file left beside it");
    }
  }
}
