package io.vigil.ui.views.annotate.internal;

import io.vigil.image.ImageFiles;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import io.vigil.ui.views.annotate.internal.AnnotationSet.Entry;
import io.vigil.ui.views.annotate.internal.AnnotationSet.Filter;
import io.vigil.ui.views.annotate.internal.MaskDocument.Point;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Event;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.TableColumn;
import org.eclipse.swt.widgets.TableItem;
import org.eclipse.swt.widgets.Text;

/**
 * One window's annotate view: a data set folder, its defective test images (filtered by mask
 * state and type), and a canvas where the operator paints the selected image's mask with a brush,
 * an eraser or a polygon, zooms (buttons, wheel) and pans (right-button drag). Files are read and
 * written on the site's worker threads; the UI thread edits the mask and draws.
 */
final class AnnotatePart implements ViewPart {
  private static final String[] FILTERS = {"All images", "Without mask", "With mask"};
  private static final String ALL_TYPES = "All types";
  private static final double MIN_ZOOM = 0.125;
  private static final double MAX_ZOOM = 16;

  enum Tool { BRUSH, ERASER, POLYGON }

  private final ViewSite site;
  private final Text folder;
  private final Combo filter;
  private final Combo type;
  private final Combo moveType;
  private final Table images;
  private final Canvas canvas;
  private final Spinner size;
  private final Scale opacity;
  private final Label zoomLabel;
  private final Label status;
  private final Button undo;
  private final Button redo;
  private final Button save;
  private final Button[] toolButtons;
  private final Color polygonColour;
  private final Color background;

  private AnnotationSet set;
  private List<Entry> shown = List.of();
  private Entry current;
  private MaskDocument mask;
  /** The photo, and the mask drawn as a red layer with the chosen opacity; rebuilt when the mask changes. */
  private Image photo;
  private Image overlay;
  private Tool tool = Tool.BRUSH;
  private double zoom = 1;
  private double offsetX;
  private double offsetY;
  private Point lastBrush;
  private final List<Point> corners = new ArrayList<>();
  private int panX = -1;
  private int panY;

  AnnotatePart(Composite parent, ViewSite site) {
    this.site = site;
    polygonColour = new Color(parent.getDisplay(), 255, 220, 0);
    background = new Color(parent.getDisplay(), 40, 40, 40);
    Composite root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(2, false));

    Composite top = new Composite(root, SWT.NONE);
    top.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
    top.setLayout(new GridLayout(6, false));
    new Label(top, SWT.NONE).setText("Data set:");
    folder = new Text(top, SWT.BORDER | SWT.SINGLE);
    folder.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    folder.setMessage("a folder in the MVTec AD layout (test/<type>/, ground_truth/<type>/); Enter opens it");
    tag(folder, "annotate.folder");
    folder.addListener(SWT.DefaultSelection, e -> open(Path.of(folder.getText().trim())));
    Button browse = button(top, SWT.PUSH, "Open...", "annotate.browse");
    browse.addListener(SWT.Selection, e -> {
      DirectoryDialog dialog = new DirectoryDialog(browse.getShell());
      dialog.setText("Open a data set");
      String chosen = dialog.open();
      if (chosen != null) {
        folder.setText(chosen);
        open(Path.of(chosen));
      }
    });
    filter = new Combo(top, SWT.READ_ONLY);
    filter.setItems(FILTERS);
    filter.select(0);
    tag(filter, "annotate.filter");
    filter.addListener(SWT.Selection, e -> refill());
    type = new Combo(top, SWT.READ_ONLY);
    type.setItems(ALL_TYPES);
    type.select(0);
    tag(type, "annotate.type");
    type.addListener(SWT.Selection, e -> refill());
    status = new Label(top, SWT.NONE);
    status.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, false, false));
    status.setText("no data set open");
    tag(status, "annotate.status");

    Composite left = new Composite(root, SWT.NONE);
    GridData leftData = new GridData(SWT.FILL, SWT.FILL, false, true);
    leftData.widthHint = 240;
    left.setLayoutData(leftData);
    left.setLayout(new GridLayout(3, false));
    images = new Table(left, SWT.BORDER | SWT.SINGLE | SWT.FULL_SELECTION);
    images.setHeaderVisible(true);
    images.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true, 3, 1));
    tag(images, "annotate.images");
    column(images, "image", 150);
    column(images, "mask", 60);
    images.addListener(SWT.Selection, e -> {
      int index = images.getSelectionIndex();
      if (index >= 0 && index < shown.size()) {
        select(shown.get(index));
      }
    });

    new Label(left, SWT.NONE).setText("Type:");
    moveType = new Combo(left, SWT.DROP_DOWN);
    moveType.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    moveType.setToolTipText("good, a defect type of the data set, or a new one typed here");
    tag(moveType, "annotate.move.type");
    Button move = button(left, SWT.PUSH, "Move", "annotate.move");
    move.setToolTipText("moves the selected image, and its mask, to this type (to good: the mask is deleted)");
    move.addListener(SWT.Selection, e -> moveCurrent(moveType.getText().trim()));

    Composite editor = new Composite(root, SWT.NONE);
    editor.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    editor.setLayout(new GridLayout(1, false));
    Composite tools = new Composite(editor, SWT.NONE);
    tools.setLayout(new RowLayout(SWT.HORIZONTAL));
    toolButtons = new Button[] {
        button(tools, SWT.RADIO, "Brush", "annotate.brush"),
        button(tools, SWT.RADIO, "Eraser", "annotate.eraser"),
        button(tools, SWT.RADIO, "Polygon", "annotate.polygon")};
    toolButtons[0].setSelection(true);
    for (Tool each : Tool.values()) {
      toolButtons[each.ordinal()].addListener(SWT.Selection, e -> {
        if (toolButtons[each.ordinal()].getSelection()) {
          useTool(each);
        }
      });
    }
    new Label(tools, SWT.NONE).setText("Size");
    size = new Spinner(tools, SWT.BORDER);
    size.setValues(12, 1, 500, 0, 1, 10);
    size.setToolTipText("brush and eraser diameter in image pixels");
    tag(size, "annotate.size");
    new Label(tools, SWT.NONE).setText("Opacity");
    opacity = new Scale(tools, SWT.HORIZONTAL);
    opacity.setMinimum(0);
    opacity.setMaximum(100);
    opacity.setSelection(50);
    opacity.setLayoutData(new org.eclipse.swt.layout.RowData(120, SWT.DEFAULT));
    tag(opacity, "annotate.opacity");
    opacity.addListener(SWT.Selection, e -> maskChanged());
    button(tools, SWT.PUSH, "-", "annotate.zoom.out").addListener(SWT.Selection, e -> zoomAt(zoom / 2, centre()));
    button(tools, SWT.PUSH, "+", "annotate.zoom.in").addListener(SWT.Selection, e -> zoomAt(zoom * 2, centre()));
    button(tools, SWT.PUSH, "1:1", "annotate.zoom.actual").addListener(SWT.Selection, e -> {
      zoom = 1;
      offsetX = 0;
      offsetY = 0;
      viewChanged();
    });
    button(tools, SWT.PUSH, "Fit", "annotate.zoom.fit").addListener(SWT.Selection, e -> fit());
    zoomLabel = new Label(tools, SWT.NONE);
    zoomLabel.setText("100 %   ");
    tag(zoomLabel, "annotate.zoom");
    undo = button(tools, SWT.PUSH, "Undo", "annotate.undo");
    undo.addListener(SWT.Selection, e -> {
      if (mask != null && mask.undo()) {
        maskChanged();
      }
    });
    redo = button(tools, SWT.PUSH, "Redo", "annotate.redo");
    redo.addListener(SWT.Selection, e -> {
      if (mask != null && mask.redo()) {
        maskChanged();
      }
    });
    button(tools, SWT.PUSH, "Clear", "annotate.clear").addListener(SWT.Selection, e -> {
      if (mask != null) {
        mask.clear();
        maskChanged();
      }
    });
    save = button(tools, SWT.PUSH, "Save", "annotate.save");
    save.addListener(SWT.Selection, e -> saveMask(null));

    canvas = new Canvas(editor, SWT.BORDER | SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
    canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    tag(canvas, "annotate.canvas");
    canvas.addListener(SWT.Paint, e -> paint(e.gc));
    canvas.addListener(SWT.MouseDown, this::mouseDown);
    canvas.addListener(SWT.MouseMove, this::mouseMove);
    canvas.addListener(SWT.MouseUp, this::mouseUp);
    canvas.addListener(SWT.MouseDoubleClick, e -> closePolygon());
    canvas.addListener(SWT.MouseVerticalWheel, e -> zoomAt(e.count > 0 ? zoom * 1.25 : zoom / 1.25, new double[] {e.x, e.y}));
    canvas.addListener(SWT.KeyDown, e -> {
      if (e.keyCode == SWT.CR || e.keyCode == SWT.KEYPAD_CR) {
        closePolygon();
      } else if (e.keyCode == SWT.ESC) {
        corners.clear();
        canvas.redraw();
      } else if ((e.stateMask & SWT.MOD1) != 0 && (e.keyCode == 'z' || e.keyCode == 'y')) {
        (e.keyCode == 'z' ? undo : redo).notifyListeners(SWT.Selection, new Event());
      }
    });
    updateButtons();
  }

  private static void tag(Control control, String id) {
    control.setData(View.WIDGET_ID, id);
  }

  private static Button button(Composite parent, int style, String text, String id) {
    Button button = new Button(parent, style);
    button.setText(text);
    tag(button, id);
    return button;
  }

  private static void column(Table table, String title, int width) {
    TableColumn column = new TableColumn(table, SWT.LEFT);
    column.setText(title);
    column.setWidth(width);
  }

  // --- data set and list -------------------------------------------------------------------------

  private void open(Path root) {
    saveIfModified();
    status.setText("reading " + root + " ...");
    site.background().execute(() -> {
      try {
        AnnotationSet opened = AnnotationSet.open(root.toAbsolutePath().normalize());
        site.asyncExec(() -> {
          set = opened;
          current = null;
          setMask(null, null);
          String chosenType = type.getText();
          type.setItems(ALL_TYPES);
          opened.types().forEach(type::add);
          type.select(Math.max(0, List.of(type.getItems()).indexOf(chosenType)));
          fillMoveTypes(opened);
          refill();
        });
      } catch (IOException e) {
        site.asyncExec(() -> status.setText("cannot open: " + e.getMessage()));
      }
    });
  }

  /** Lists the images the filters let through; keeps the current one selected when it still shows. */
  private void refill() {
    if (set == null) {
      return;
    }
    Filter chosen = Filter.values()[Math.max(0, filter.getSelectionIndex())];
    String chosenType = type.getSelectionIndex() <= 0 ? null : type.getText();
    shown = set.entries(chosen, chosenType);
    images.removeAll();
    for (Entry entry : shown) {
      TableItem item = new TableItem(images, SWT.NONE);
      item.setText(new String[] {entry.id(), entry.hasMask() ? "yes" : "-"});
    }
    long withMask = set.entries(Filter.WITH_MASK, null).size();
    long all = set.entries(Filter.ALL, null).size();
    status.setText(withMask + " of " + all + " defective images have a mask; " + shown.size() + " listed");
    status.getParent().layout();
    if (current != null) {
      for (int i = 0; i < shown.size(); i++) {
        if (shown.get(i).image().equals(current.image())) {
          images.setSelection(i);
        }
      }
    }
  }

  private void fillMoveTypes(AnnotationSet opened) {
    String typed = moveType.getText();
    moveType.setItems(io.vigil.api.image.GroundTruth.GOOD);
    opened.types().forEach(moveType::add);
    moveType.setText(typed);
  }

  /** Moves the selected image and its mask to {@code newType} (saving its edits first), then lists again. */
  private void moveCurrent(String newType) {
    if (current == null || set == null) {
      status.setText("select an image to move");
      return;
    }
    // Run on the UI thread, after a save when there is one: the entry as listed then knows its new mask.
    Runnable move = () -> {
      if (current == null || set == null) {
        return;
      }
      moveInBackground(current, set, newType);
    };
    if (mask != null && mask.isModified()) {
      saveMask(move); // the mask moves as it is on screen
    } else {
      move.run();
    }
  }

  private void moveInBackground(Entry entry, AnnotationSet before, String newType) {
    site.background().execute(() -> {
      try {
        Entry moved = TypeMove.move(before.root(), entry, newType);
        AnnotationSet reloaded = before.reload();
        site.asyncExec(() -> {
          if (set == before) {
            set = reloaded;
            boolean good = moved.type().equals(io.vigil.api.image.GroundTruth.GOOD);
            current = good ? null : moved;
            if (good) {
              setMask(null, null);
            }
            type.setItems(ALL_TYPES);
            reloaded.types().forEach(type::add);
            type.select(0);
            fillMoveTypes(reloaded);
            refill();
          }
          status.setText("moved " + entry.id() + " to " + before.root().relativize(moved.image()));
          status.getParent().layout();
        });
      } catch (IOException | IllegalArgumentException e) {
        site.asyncExec(() -> status.setText("cannot move " + entry.id() + ": " + e.getMessage()));
      }
    });
  }

  private void select(Entry entry) {
    if (current != null && current.image().equals(entry.image())) {
      return;
    }
    saveIfModified();
    current = entry;
    status.setText("loading " + entry.id() + " ...");
    site.background().execute(() -> {
      try {
        io.vigil.api.image.Image pixels = ImageFiles.read(entry.image());
        MaskDocument loaded = entry.hasMask()
            ? MaskDocument.load(entry.mask(), pixels.width(), pixels.height())
            : new MaskDocument(pixels.width(), pixels.height());
        ImageData data = imageData(pixels.toRgb8());
        site.asyncExec(() -> {
          if (current == entry) {
            setMask(data, loaded);
            fit();
            status.setText(entry.id() + ": " + pixels.width() + "x" + pixels.height()
                + (entry.hasMask() ? ", mask loaded" : ", no mask yet"));
            status.getParent().layout();
          }
        });
      } catch (IOException e) {
        site.asyncExec(() -> status.setText("cannot read " + entry.id() + ": " + e.getMessage()));
      }
    });
  }

  /** An SWT image description of 8-bit RGB pixels; plain data, built off the UI thread. */
  static ImageData imageData(io.vigil.api.image.Image rgb) {
    ImageData data = new ImageData(rgb.width(), rgb.height(), 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
    byte[] pixels = rgb.pixels8();
    int[] row = new int[rgb.width()];
    for (int y = 0; y < rgb.height(); y++) {
      for (int x = 0; x < rgb.width(); x++) {
        int i = (y * rgb.width() + x) * 3;
        row[x] = (pixels[i] & 0xFF) << 16 | (pixels[i + 1] & 0xFF) << 8 | (pixels[i + 2] & 0xFF);
      }
      data.setPixels(0, y, rgb.width(), row, 0);
    }
    return data;
  }

  private void setMask(ImageData data, MaskDocument document) {
    disposeImages();
    corners.clear();
    mask = document;
    if (data != null) {
      photo = new Image(canvas.getDisplay(), data);
    }
    maskChanged();
  }

  // --- saving ------------------------------------------------------------------------------------

  private void saveIfModified() {
    if (mask != null && current != null && mask.isModified()) {
      saveMask(null);
    }
  }

  /** Saves the current mask on a worker thread, then lists the data set again (its mask state changed). */
  private void saveMask(Runnable then) {
    if (mask == null || current == null) {
      return;
    }
    MaskDocument copy = mask.copy();
    MaskDocument document = mask;
    int version = mask.version();
    Entry entry = current;
    Path target = AnnotationSet.saveTarget(entry);
    AnnotationSet savedSet = set;
    site.background().execute(() -> {
      try {
        copy.save(target);
        AnnotationSet reloaded = savedSet.reload();
        site.asyncExec(() -> {
          document.markSaved(version);
          if (set == savedSet) {
            set = reloaded;
            refreshCurrent(reloaded, entry);
            refill();
          }
          status.setText("saved " + savedSet.root().relativize(target) + " (" + copy.defectPixelCount() + " defect pixels)");
          status.getParent().layout();
          site.setStatus("mask saved: " + target);
          updateButtons();
          if (then != null) {
            then.run();
          }
        });
      } catch (IOException e) {
        site.asyncExec(() -> status.setText("cannot save " + target + ": " + e.getMessage()));
      }
    });
  }

  /** The current entry as listed again, now with its mask. */
  private void refreshCurrent(AnnotationSet reloaded, Entry entry) {
    if (current != entry) {
      return;
    }
    for (Entry e : reloaded.entries(Filter.ALL, null)) {
      if (e.image().equals(entry.image())) {
        current = e;
      }
    }
  }

  // --- editing -----------------------------------------------------------------------------------

  private void useTool(Tool chosen) {
    tool = chosen;
    for (Tool each : Tool.values()) {
      toolButtons[each.ordinal()].setSelection(each == chosen); // also when chosen by a program, not a click
    }
    corners.clear();
    canvas.redraw();
  }

  /** The image point under canvas pixel (x, y): the pixel's centre, so 1:1 maps pixel to pixel. */
  private Point toImage(int x, int y) {
    return new Point((x + 0.5 - offsetX) / zoom, (y + 0.5 - offsetY) / zoom);
  }

  private void mouseDown(Event e) {
    if (mask == null) {
      return;
    }
    canvas.setFocus();
    if (e.button == 3 || e.button == 2) {
      panX = e.x;
      panY = e.y;
      return;
    }
    if (e.button != 1) {
      return;
    }
    Point point = toImage(e.x, e.y);
    if (tool == Tool.POLYGON) {
      corners.add(point);
      canvas.redraw();
      return;
    }
    mask.beginEdit();
    mask.brush(point, point, size.getSelection(), tool == Tool.ERASER);
    lastBrush = point;
    maskChanged();
  }

  private void mouseMove(Event e) {
    if (panX >= 0) {
      offsetX += e.x - panX;
      offsetY += e.y - panY;
      panX = e.x;
      panY = e.y;
      canvas.redraw();
      return;
    }
    if (lastBrush != null && mask != null) {
      Point point = toImage(e.x, e.y);
      mask.brush(lastBrush, point, size.getSelection(), tool == Tool.ERASER);
      lastBrush = point;
      maskChanged();
    } else if (tool == Tool.POLYGON && !corners.isEmpty()) {
      canvas.redraw();
    }
  }

  private void mouseUp(Event e) {
    panX = -1;
    lastBrush = null;
  }

  /** Fills the polygon drawn so far (double click or Enter); fewer than 3 distinct corners do nothing. */
  private void closePolygon() {
    List<Point> distinct = new ArrayList<>();
    for (Point corner : corners) {
      if (distinct.isEmpty() || !distinct.get(distinct.size() - 1).equals(corner)) {
        distinct.add(corner);
      }
    }
    corners.clear();
    if (mask != null && distinct.size() >= 3) {
      mask.polygon(distinct, false);
      maskChanged();
    } else {
      canvas.redraw();
    }
  }

  // --- zoom and drawing --------------------------------------------------------------------------

  private double[] centre() {
    org.eclipse.swt.graphics.Rectangle area = canvas.getClientArea();
    return new double[] {area.width / 2.0, area.height / 2.0};
  }

  /** Zooms keeping the image point under canvas point {@code at} where it is. */
  private void zoomAt(double wanted, double[] at) {
    double next = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM, wanted));
    offsetX = at[0] - (at[0] - offsetX) * next / zoom;
    offsetY = at[1] - (at[1] - offsetY) * next / zoom;
    zoom = next;
    viewChanged();
  }

  private void fit() {
    if (mask == null) {
      return;
    }
    org.eclipse.swt.graphics.Rectangle area = canvas.getClientArea();
    if (area.width <= 0 || area.height <= 0) {
      return;
    }
    zoom = Math.max(MIN_ZOOM, Math.min(MAX_ZOOM,
        Math.min((double) area.width / mask.width(), (double) area.height / mask.height())));
    offsetX = (area.width - mask.width() * zoom) / 2;
    offsetY = (area.height - mask.height() * zoom) / 2;
    viewChanged();
  }

  private void viewChanged() {
    zoomLabel.setText(Math.round(zoom * 100) + " %");
    zoomLabel.getParent().layout();
    canvas.redraw();
  }

  /** Rebuilds the red mask layer at the chosen opacity and redraws. */
  private void maskChanged() {
    if (overlay != null) {
      overlay.dispose();
      overlay = null;
    }
    if (mask != null) {
      ImageData data = new ImageData(mask.width(), mask.height(), 24, new PaletteData(0xFF0000, 0xFF00, 0xFF));
      byte[] alpha = new byte[mask.width() * mask.height()];
      byte shown = (byte) Math.round(opacity.getSelection() * 2.55);
      byte[] pixels = mask.pixels();
      int[] row = new int[mask.width()];
      java.util.Arrays.fill(row, 0xFF0000);
      for (int y = 0; y < mask.height(); y++) {
        data.setPixels(0, y, mask.width(), row, 0);
      }
      for (int i = 0; i < pixels.length; i++) {
        alpha[i] = pixels[i] != 0 ? shown : 0;
      }
      data.alphaData = alpha;
      overlay = new Image(canvas.getDisplay(), data);
    }
    updateButtons();
    canvas.redraw();
  }

  private void updateButtons() {
    undo.setEnabled(mask != null && mask.canUndo());
    redo.setEnabled(mask != null && mask.canRedo());
    save.setEnabled(mask != null);
  }

  private void paint(GC gc) {
    org.eclipse.swt.graphics.Rectangle area = canvas.getClientArea();
    gc.setBackground(background);
    gc.fillRectangle(area);
    if (photo == null || mask == null) {
      return;
    }
    int x = (int) Math.round(offsetX);
    int y = (int) Math.round(offsetY);
    int w = (int) Math.round(mask.width() * zoom);
    int h = (int) Math.round(mask.height() * zoom);
    gc.setInterpolation(zoom >= 2 ? SWT.NONE : SWT.DEFAULT);
    gc.drawImage(photo, 0, 0, mask.width(), mask.height(), x, y, w, h);
    if (overlay != null) {
      gc.drawImage(overlay, 0, 0, mask.width(), mask.height(), x, y, w, h);
    }
    if (!corners.isEmpty()) {
      gc.setForeground(polygonColour);
      gc.setLineWidth(2);
      int[] points = new int[corners.size() * 2];
      for (int i = 0; i < corners.size(); i++) {
        points[2 * i] = (int) Math.round(corners.get(i).x() * zoom + offsetX);
        points[2 * i + 1] = (int) Math.round(corners.get(i).y() * zoom + offsetY);
      }
      gc.drawPolyline(points);
      for (int i = 0; i < points.length; i += 2) {
        gc.drawRectangle(points[i] - 2, points[i + 1] - 2, 4, 4);
      }
    }
  }

  private void disposeImages() {
    if (photo != null) {
      photo.dispose();
      photo = null;
    }
    if (overlay != null) {
      overlay.dispose();
      overlay = null;
    }
  }

  @Override
  public void dispose() {
    disposeImages();
    polygonColour.dispose();
    background.dispose();
  }
}
