package io.vigil.ui.views.annotate.internal;

import io.vigil.api.image.Mask;
import io.vigil.image.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The defect mask of one image being edited: its pixels, the brush, eraser and polygon
 * rasterisation, undo and redo, and saving as a 0/255 PNG of the image's size. Plain Java, no
 * widgets: the view draws it and feeds it the operator's strokes in image coordinates. Not thread
 * safe: the UI thread owns it.
 */
final class MaskDocument {
  /** Undo steps kept; each is one copy of the mask (a megabyte for a 1024x1024 image). */
  static final int UNDO_DEPTH = 40;

  /** A point in image coordinates; (0, 0) is the top left corner of the top left pixel. */
  record Point(double x, double y) {}

  private final int width;
  private final int height;
  private byte[] pixels;
  private final Deque<byte[]> undo = new ArrayDeque<>();
  private final Deque<byte[]> redo = new ArrayDeque<>();
  private boolean modified;
  /** Counts edits, undos and redos: tells whether a copy saved in the background is still current. */
  private int version;

  MaskDocument(int width, int height) {
    if (width <= 0 || height <= 0) {
      throw new IllegalArgumentException("mask size must be positive: " + width + "x" + height);
    }
    this.width = width;
    this.height = height;
    this.pixels = new byte[width * height];
  }

  /** The mask file's pixels (any non-zero sample is defect), which must be the image's size. */
  static MaskDocument load(Path maskFile, int width, int height) throws IOException {
    Mask mask = ImageFiles.readMask(maskFile);
    if (mask.width() != width || mask.height() != height) {
      throw new IOException("the mask " + maskFile + " is " + mask.width() + "x" + mask.height()
          + ", its image " + width + "x" + height);
    }
    MaskDocument document = new MaskDocument(width, height);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        document.pixels[y * width + x] = (byte) (mask.isDefect(x, y) ? 1 : 0);
      }
    }
    return document;
  }

  int width() {
    return width;
  }

  int height() {
    return height;
  }

  boolean isDefect(int x, int y) {
    return pixels[y * width + x] != 0;
  }

  int defectPixelCount() {
    int count = 0;
    for (byte pixel : pixels) {
      count += pixel;
    }
    return count;
  }

  /** A copy of the pixels, row by row, 1 for defect. */
  byte[] pixels() {
    return pixels.clone();
  }

  /** True when edited since it was loaded or saved. */
  boolean isModified() {
    return modified;
  }

  int version() {
    return version;
  }

  /** A copy of the current mask without history, to save on another thread. */
  MaskDocument copy() {
    MaskDocument copy = new MaskDocument(width, height);
    copy.pixels = pixels.clone();
    return copy;
  }

  /** A copy taken at {@code savedVersion} was saved: unmodified unless edited since. */
  void markSaved(int savedVersion) {
    if (version == savedVersion) {
      modified = false;
    }
  }

  /** Starts an edit that one undo takes back whole (a brush stroke from press to release). */
  void beginEdit() {
    version++;
    undo.push(pixels.clone());
    if (undo.size() > UNDO_DEPTH) {
      undo.removeLast();
    }
    redo.clear();
    modified = true;
  }

  /**
   * Paints (or erases) the segment from {@code from} to {@code to} with a round brush of
   * {@code diameter} image pixels: every pixel whose centre lies within diameter/2 of the segment.
   * Part of the edit begun by {@link #beginEdit}; a single click is a segment of length zero.
   */
  void brush(Point from, Point to, double diameter, boolean erase) {
    double radius = Math.max(0.5, diameter / 2);
    int x0 = clampX((int) Math.floor(Math.min(from.x(), to.x()) - radius));
    int x1 = clampX((int) Math.ceil(Math.max(from.x(), to.x()) + radius));
    int y0 = clampY((int) Math.floor(Math.min(from.y(), to.y()) - radius));
    int y1 = clampY((int) Math.ceil(Math.max(from.y(), to.y()) + radius));
    double dx = to.x() - from.x();
    double dy = to.y() - from.y();
    double length2 = dx * dx + dy * dy;
    byte value = (byte) (erase ? 0 : 1);
    for (int y = y0; y <= y1; y++) {
      for (int x = x0; x <= x1; x++) {
        double px = x + 0.5 - from.x();
        double py = y + 0.5 - from.y();
        double t = length2 == 0 ? 0 : Math.max(0, Math.min(1, (px * dx + py * dy) / length2));
        double ex = px - t * dx;
        double ey = py - t * dy;
        if (ex * ex + ey * ey <= radius * radius) {
          pixels[y * width + x] = value;
        }
      }
    }
  }

  /**
   * Fills (or erases) a closed polygon as one edit: every pixel whose centre lies inside it by the
   * even-odd rule; the last corner joins the first.
   */
  void polygon(List<Point> corners, boolean erase) {
    if (corners.size() < 3) {
      throw new IllegalArgumentException("a polygon needs 3 corners, not " + corners.size());
    }
    beginEdit();
    byte value = (byte) (erase ? 0 : 1);
    int n = corners.size();
    double[] crossings = new double[n];
    for (int y = 0; y < height; y++) {
      double centre = y + 0.5;
      int count = 0;
      for (int i = 0; i < n; i++) {
        Point a = corners.get(i);
        Point b = corners.get((i + 1) % n);
        if ((a.y() <= centre && centre < b.y()) || (b.y() <= centre && centre < a.y())) {
          crossings[count++] = a.x() + (centre - a.y()) * (b.x() - a.x()) / (b.y() - a.y());
        }
      }
      Arrays.sort(crossings, 0, count);
      for (int k = 0; k + 1 < count; k += 2) {
        // Pixels whose centre x + 0.5 lies in [left, right).
        int first = Math.max(0, (int) Math.ceil(crossings[k] - 0.5));
        int last = Math.min(width - 1, (int) Math.ceil(crossings[k + 1] - 0.5) - 1);
        for (int x = first; x <= last; x++) {
          pixels[y * width + x] = value;
        }
      }
    }
  }

  /** Clears the whole mask as one edit. */
  void clear() {
    beginEdit();
    Arrays.fill(pixels, (byte) 0);
  }

  boolean canUndo() {
    return !undo.isEmpty();
  }

  boolean canRedo() {
    return !redo.isEmpty();
  }

  /** Takes back the last edit; false when there is none. */
  boolean undo() {
    if (undo.isEmpty()) {
      return false;
    }
    redo.push(pixels);
    pixels = undo.pop();
    modified = true;
    version++;
    return true;
  }

  /** Does the last undone edit again; false when there is none. */
  boolean redo() {
    if (redo.isEmpty()) {
      return false;
    }
    undo.push(pixels);
    pixels = redo.pop();
    modified = true;
    version++;
    return true;
  }

  /**
   * Writes the mask as an 8-bit grey PNG, 255 for defect and 0 elsewhere, of the image's size;
   * atomically (a temporary file beside it, moved into place), so a reader sees the old mask or
   * the new one, never half of one. The folders are created.
   */
  void save(Path maskFile) throws IOException {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    byte[] grey = new byte[pixels.length];
    for (int i = 0; i < pixels.length; i++) {
      grey[i] = (byte) (pixels[i] != 0 ? 255 : 0);
    }
    image.getRaster().setDataElements(0, 0, width, height, grey);
    Files.createDirectories(maskFile.toAbsolutePath().getParent());
    ImageFiles.writePng(image, maskFile);
    modified = false;
  }

  private int clampX(int x) {
    return Math.max(0, Math.min(width - 1, x));
  }

  private int clampY(int y) {
    return Math.max(0, Math.min(height - 1, y));
  }
}
