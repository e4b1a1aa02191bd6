package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Event;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The annotate view: a stroke and a polygon drawn on the canvas, undo and redo, saved and read back pixel by pixel. */
class AnnotateViewTest {
  private static final int WIDTH = 64;
  private static final int HEIGHT = 48;
  @TempDir Path data;
  private UiDriver ui;

  @BeforeEach
  void setUp() throws Exception {
    byte[] grey = new byte[WIDTH * HEIGHT];
    for (int i = 0; i < grey.length; i++) {
      grey[i] = (byte) (70 + 2 * (i % WIDTH) + i / WIDTH);
    }
    Image image = Image.of8Bit(WIDTH, HEIGHT, 1, grey);
    for (String name : List.of("train/good/000.png", "test/good/000.png", "test/crack/000.png", "test/crack/001.png",
        "test/hole/000.png")) {
      ImageFiles.writePng(image, data.resolve(name));
    }
    ImageFiles.writePng(Image.of8Bit(WIDTH, HEIGHT, 1, new byte[WIDTH * HEIGHT]),
        data.resolve("ground_truth/hole/000_mask.png"));
    ui = UiDriver.open("annotate");
    ui.awaitWidget("annotate.folder");
  }

  @AfterEach
  void tearDown() throws Exception {
    ui.close();
  }

  private List<String> listed() {
    return ui.rows("annotate.images").stream().map(row -> row.get(0)).toList();
  }

  private void mouse(int type, int x, int y) {
    ui.runOnUi(() -> {
      Event event = new Event();
      event.x = x;
      event.y = y;
      event.button = type == SWT.MouseMove ? 0 : 1;
      ui.widget("annotate.canvas", Canvas.class).notifyListeners(type, event);
    });
  }

  /** Pixels whose centre lies within {@code radius} of the segment from (x0, y0) to (x1, y1): the brush's definition. */
  private static boolean[] capsule(double x0, double y0, double x1, double y1, double radius) {
    boolean[] inside = new boolean[WIDTH * HEIGHT];
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        double cx = Math.max(x0, Math.min(x1, x + 0.5)); // the segment is horizontal: the nearest point
        double dx = x + 0.5 - cx;
        double dy = y + 0.5 - y0;
        inside[y * WIDTH + x] = dx * dx + dy * dy <= radius * radius;
      }
    }
    return inside;
  }

  private static void assertMask(Path file, boolean[] expected) throws IOException {
    Image mask = ImageFiles.read(file);
    assertEquals(WIDTH, mask.width());
    assertEquals(HEIGHT, mask.height());
    assertEquals(1, mask.channels());
    for (int y = 0; y < HEIGHT; y++) {
      for (int x = 0; x < WIDTH; x++) {
        assertEquals(expected[y * WIDTH + x] ? 255 : 0, mask.sample(x, y, 0), "mask pixel " + x + "," + y);
      }
    }
  }

  private static int count(boolean[] pixels) {
    int count = 0;
    for (boolean pixel : pixels) {
      count += pixel ? 1 : 0;
    }
    return count;
  }

  @Test
  void aStrokeAndAPolygonAreSavedAsTheMaskAndUndoTakesThePolygonBack() throws Exception {
    ui.enter("annotate.folder", data.toString());
    await(() -> listed().size() == 3, () -> "three defective images listed: " + listed());
    assertEquals(List.of("crack/000.png", "crack/001.png", "hole/000.png"), listed());
    ui.choose("annotate.filter", "Without mask");
    await(() -> listed().equals(List.of("crack/000.png", "crack/001.png")), () -> "without mask: " + listed());
    ui.choose("annotate.filter", "All images");
    ui.choose("annotate.type", "hole");
    await(() -> listed().equals(List.of("hole/000.png")), () -> "type hole: " + listed());
    ui.choose("annotate.type", "All types");
    ui.choose("annotate.filter", "Without mask");
    await(() -> listed().size() == 2, () -> "without mask again: " + listed());

    ui.selectRow("annotate.images", 0, "crack/000.png");
    await(() -> ui.text("annotate.status").contains(WIDTH + "x" + HEIGHT), () -> "image loaded: " + ui.text("annotate.status"));
    ui.press("annotate.zoom.actual"); // canvas pixel (x, y) is image pixel (x, y)

    // A brush stroke of diameter 4 along row 20 from column 10 to 30.
    ui.press("annotate.brush");
    ui.spin("annotate.size", 4);
    mouse(SWT.MouseDown, 10, 20);
    mouse(SWT.MouseMove, 20, 20);
    mouse(SWT.MouseMove, 30, 20);
    mouse(SWT.MouseUp, 30, 20);
    boolean[] stroke = capsule(10.5, 20.5, 30.5, 20.5, 2);

    // A polygon with corners at the centres of pixels (40, 5) and (60, 25): pixels 40..59 x 5..24.
    ui.press("annotate.polygon");
    mouse(SWT.MouseDown, 40, 5);
    mouse(SWT.MouseDown, 60, 5);
    mouse(SWT.MouseDown, 60, 25);
    mouse(SWT.MouseDown, 40, 25);
    mouse(SWT.MouseDoubleClick, 40, 25);
    boolean[] both = stroke.clone();
    for (int y = 5; y < 25; y++) {
      for (int x = 40; x < 60; x++) {
        both[y * WIDTH + x] = true;
      }
    }
    assertEquals(count(stroke) + 400, count(both), "stroke and polygon do not overlap");

    Path maskFile = data.resolve("ground_truth/crack/000_mask.png");
    ui.press("annotate.save");
    await(() -> ui.text("annotate.status").contains("(" + count(both) + " defect pixels)"),
        () -> "saved: " + ui.text("annotate.status"));
    assertMask(maskFile, both);
    await(() -> listed().equals(List.of("crack/001.png")), () -> "the saved image leaves 'without mask': " + listed());
    ui.press("annotate.zoom.fit");
    ui.pauseForScreenshot(300);
    ui.screenshot("annotate-view");
    ui.press("annotate.zoom.actual");

    ui.press("annotate.undo");
    ui.press("annotate.save");
    await(() -> ui.text("annotate.status").contains("(" + count(stroke) + " defect pixels)"),
        () -> "saved after undo: " + ui.text("annotate.status"));
    assertMask(maskFile, stroke);

    ui.press("annotate.redo");
    ui.press("annotate.save");
    await(() -> ui.text("annotate.status").contains("(" + count(both) + " defect pixels)"),
        () -> "saved after redo: " + ui.text("annotate.status"));
    assertMask(maskFile, both);

    // The eraser takes the stroke's left end away.
    ui.press("annotate.eraser");
    ui.spin("annotate.size", 10);
    mouse(SWT.MouseDown, 10, 20);
    mouse(SWT.MouseUp, 10, 20);
    ui.press("annotate.save");
    boolean[] erased = both.clone();
    boolean[] rubber = capsule(10.5, 20.5, 10.5, 20.5, 5);
    for (int i = 0; i < erased.length; i++) {
      erased[i] &= !rubber[i];
    }
    assertTrue(count(erased) < count(both));
    await(() -> ui.text("annotate.status").contains("(" + count(erased) + " defect pixels)"),
        () -> "saved after erasing: " + ui.text("annotate.status"));
    assertMask(maskFile, erased);
    try (var files = Files.list(maskFile.getParent())) {
      assertEquals(List.of(maskFile), files.toList(), "no temporary file left beside the mask");
    }

    // Another type: the image and its mask move together.
    ui.runOnUi(() -> ui.widget("annotate.move.type", org.eclipse.swt.widgets.Combo.class).setText("scratch"));
    ui.press("annotate.move");
    await(() -> ui.text("annotate.status").contains("moved crack/000.png to test/scratch/000.png"),
        () -> "moved: " + ui.text("annotate.status"));
    assertTrue(Files.isRegularFile(data.resolve("test/scratch/000.png")));
    assertTrue(Files.notExists(data.resolve("test/crack/000.png")));
    assertTrue(Files.notExists(maskFile));
    assertMask(data.resolve("ground_truth/scratch/000_mask.png"), erased);
  }
}
