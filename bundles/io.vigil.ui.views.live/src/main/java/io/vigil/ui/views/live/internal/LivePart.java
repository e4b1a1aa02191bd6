package io.vigil.ui.views.live.internal;

import io.vigil.api.detector.Decision;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.Font;
import org.eclipse.swt.graphics.FontData;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.layout.RowData;
import org.eclipse.swt.layout.RowLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;

/**
 * The live view in one window: the current image with its heatmap at adjustable opacity, the
 * colour bar with the score scale, score and a large OK/NOK, frames per second, and a strip of the
 * recent results; clicking one shows it large until "Follow live" is pressed.
 */
final class LivePart implements ViewPart {
  private static final int THUMBNAIL_SLOT = ResultRenderer.THUMBNAIL_SIDE + 8;

  private final ViewSite site;
  private final Display display;
  private final Consumer<LivePart> onDispose;
  private final Queue<Incoming> incoming = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean drainScheduled = new AtomicBoolean();

  // UI thread only from here on.
  private final Composite root;
  private final Canvas imageCanvas;
  private final Label decisionLabel;
  private final Label scoreLabel;
  private final Label thresholdLabel;
  private final Label frameLabel;
  private final Label originLabel;
  private final Label rateLabel;
  private final Scale opacity;
  private final Canvas colourBar;
  private final Button follow;
  private final List<Canvas> slots = new ArrayList<>();
  private final Font decisionFont;
  private final Color ok;
  private final Color nok;
  private final Color error;
  private final Color idle;
  private final Color backdrop;
  private final Image colourBarImage;
  /** The strip, oldest first, each with its thumbnail image. */
  private final List<StripEntry> strip = new ArrayList<>();
  private RenderedResult shown;
  private Image shownBase;
  private Image shownHeat;
  private boolean pinned;
  private boolean disposed;

  private record StripEntry(RenderedResult result, Image thumbnail) {}

  /** A result on its way to the UI thread; replayed ones came before the part opened. */
  private record Incoming(RenderedResult result, boolean replayed) {}

  /** Strip entries at the front that were replayed from before the part opened. */
  private int replayedInStrip;

  LivePart(Composite parent, ViewSite site, Consumer<LivePart> onDispose) {
    this.site = site;
    this.display = parent.getDisplay();
    this.onDispose = onDispose;
    ok = new Color(display, 46, 160, 67);
    nok = new Color(display, 210, 40, 40);
    error = new Color(display, 230, 140, 20);
    idle = new Color(display, 120, 120, 120);
    backdrop = new Color(display, 40, 40, 40);
    FontData[] base = parent.getFont().getFontData();
    decisionFont = new Font(display, base[0].getName(), 40, SWT.BOLD);
    colourBarImage = new Image(display, colourBarData());

    root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(2, false));

    imageCanvas = new Canvas(root, SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
    imageCanvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    imageCanvas.setData(View.WIDGET_ID, "live.image");
    imageCanvas.addPaintListener(event -> paintImage(event.gc));

    Composite side = new Composite(root, SWT.NONE);
    GridData sideData = new GridData(SWT.FILL, SWT.FILL, false, true);
    sideData.widthHint = 280;
    side.setLayoutData(sideData);
    side.setLayout(new GridLayout(1, false));

    decisionLabel = new Label(side, SWT.CENTER);
    decisionLabel.setFont(decisionFont);
    decisionLabel.setForeground(display.getSystemColor(SWT.COLOR_WHITE));
    decisionLabel.setBackground(idle);
    decisionLabel.setText("—");
    decisionLabel.setData(View.WIDGET_ID, "live.decision");
    GridData decisionData = new GridData(SWT.FILL, SWT.TOP, true, false);
    decisionData.heightHint = 80;
    decisionLabel.setLayoutData(decisionData);

    scoreLabel = label(side, "live.score");
    thresholdLabel = label(side, "live.threshold");
    frameLabel = label(side, "live.frame");
    originLabel = label(side, "live.origin");
    rateLabel = label(side, "live.rate");

    Label opacityTitle = new Label(side, SWT.NONE);
    opacityTitle.setText("Heatmap opacity");
    opacity = new Scale(side, SWT.HORIZONTAL);
    opacity.setMinimum(0);
    opacity.setMaximum(100);
    opacity.setSelection(50);
    opacity.setPageIncrement(10);
    opacity.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    opacity.setData(View.WIDGET_ID, "live.opacity");
    opacity.addListener(SWT.Selection, event -> imageCanvas.redraw());

    colourBar = new Canvas(side, SWT.DOUBLE_BUFFERED);
    colourBar.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    colourBar.setData(View.WIDGET_ID, "live.colourbar");
    colourBar.addPaintListener(event -> paintColourBar(event.gc));

    Composite stripRow = new Composite(root, SWT.NONE);
    stripRow.setLayoutData(new GridData(SWT.FILL, SWT.BOTTOM, true, false, 2, 1));
    stripRow.setLayout(new GridLayout(2, false));
    Composite thumbnails = new Composite(stripRow, SWT.NONE);
    thumbnails.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    RowLayout row = new RowLayout(SWT.HORIZONTAL);
    row.wrap = false;
    row.spacing = 4;
    thumbnails.setLayout(row);
    thumbnails.setData(View.WIDGET_ID, "live.strip");
    for (int i = 0; i < LiveView.STRIP_LENGTH; i++) {
      Canvas slot = new Canvas(thumbnails, SWT.DOUBLE_BUFFERED);
      slot.setLayoutData(new RowData(THUMBNAIL_SLOT, THUMBNAIL_SLOT + 16));
      int index = i;
      slot.addPaintListener(event -> paintSlot(event.gc, index, slot.getClientArea()));
      slot.addListener(SWT.MouseDown, event -> pin(index));
      slot.setData(View.WIDGET_ID, "live.strip." + i);
      slots.add(slot);
    }
    follow = new Button(stripRow, SWT.PUSH);
    follow.setText("Follow live");
    follow.setEnabled(false);
    follow.setData(View.WIDGET_ID, "live.follow");
    follow.addListener(SWT.Selection, event -> unpin());
    showTexts(null);
  }

  private static Label label(Composite parent, String id) {
    Label label = new Label(parent, SWT.WRAP);
    label.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    label.setData(View.WIDGET_ID, id);
    return label;
  }

  /** Queues a rendered result for the UI thread. Any thread. */
  void show(RenderedResult result) {
    enqueue(new Incoming(result, false));
  }

  /** Queues a result from before the part opened: it goes to the strip, before the live ones. */
  void replay(RenderedResult result) {
    enqueue(new Incoming(result, true));
  }

  private void enqueue(Incoming result) {
    incoming.add(result);
    if (drainScheduled.compareAndSet(false, true)) {
      site.asyncExec(this::drain);
    }
  }

  /** Takes every queued result: all go to the strip, the newest is shown unless one is pinned. */
  private void drain() {
    drainScheduled.set(false);
    if (disposed || root.isDisposed()) {
      return;
    }
    RenderedResult newest = null;
    for (Incoming next; (next = incoming.poll()) != null; ) {
      addToStrip(next);
      if (!next.replayed() || (shown == null && newest == null)) {
        newest = next.result();
      }
    }
    if (newest != null && !pinned) {
      display(newest);
    }
    for (Canvas slot : slots) {
      slot.redraw();
    }
  }

  private void addToStrip(Incoming next) {
    RenderedResult result = next.result();
    Image thumbnail = result.thumbnail() == null ? null : new Image(display, result.thumbnail());
    if (next.replayed()) {
      strip.add(replayedInStrip++, new StripEntry(result, thumbnail));
    } else {
      strip.add(new StripEntry(result, thumbnail));
    }
    while (strip.size() > LiveView.STRIP_LENGTH) {
      StripEntry evicted = strip.remove(0);
      replayedInStrip = Math.max(0, replayedInStrip - 1);
      if (evicted.thumbnail() != null) {
        evicted.thumbnail().dispose();
      }
    }
  }

  private void display(RenderedResult result) {
    disposeShownImages();
    shown = result;
    shownBase = result.base() == null ? null : new Image(display, result.base());
    shownHeat = result.heat() == null ? null : new Image(display, result.heat());
    showTexts(result);
    imageCanvas.redraw();
    colourBar.redraw();
  }

  private void pin(int slot) {
    if (slot >= strip.size()) {
      return;
    }
    pinned = true;
    follow.setEnabled(true);
    display(strip.get(slot).result());
    for (Canvas canvas : slots) {
      canvas.redraw();
    }
  }

  private void unpin() {
    pinned = false;
    follow.setEnabled(false);
    if (!strip.isEmpty()) {
      display(strip.get(strip.size() - 1).result());
    }
    for (Canvas canvas : slots) {
      canvas.redraw();
    }
  }

  private void showTexts(RenderedResult result) {
    if (result == null) {
      decisionLabel.setText("—");
      decisionLabel.setBackground(idle);
      scoreLabel.setText("Waiting for results from the station…");
      thresholdLabel.setText("");
      frameLabel.setText("");
      originLabel.setText("");
      rateLabel.setText("");
    } else if (result.isError()) {
      decisionLabel.setText("ERROR");
      decisionLabel.setBackground(error);
      scoreLabel.setText(result.error());
      thresholdLabel.setText("");
      frameLabel.setText(frameText(result));
      originLabel.setText(originText(result));
      rateLabel.setText(rateText(result));
    } else {
      boolean rejected = result.decision() == Decision.NOK;
      decisionLabel.setText(rejected ? "NOK" : "OK");
      decisionLabel.setBackground(rejected ? nok : ok);
      scoreLabel.setText(String.format(Locale.ROOT, "Score %.4g   (normalised %.2f)", result.rawScore(),
          result.normalizedScore()));
      thresholdLabel.setText(Double.isFinite(result.range().threshold())
          ? String.format(Locale.ROOT, "Threshold %.4g", result.range().threshold())
          : "Threshold unknown");
      frameLabel.setText(frameText(result));
      originLabel.setText(originText(result));
      rateLabel.setText(rateText(result));
    }
    decisionLabel.getParent().layout(true, true);
  }

  private String frameText(RenderedResult result) {
    return "#" + result.sequence() + "  " + result.frameId() + (pinned ? "   (pinned)" : "");
  }

  private static String originText(RenderedResult result) {
    return "source " + orDash(result.sourceName()) + "\ndetector " + orDash(result.detectorName());
  }

  private static String rateText(RenderedResult result) {
    return String.format(Locale.ROOT, "%.1f frames/s   %.1f ms per frame", result.framesPerSecond(),
        result.processingMillis());
  }

  private static String orDash(String value) {
    return value == null ? "—" : value;
  }

  private void paintImage(GC gc) {
    Rectangle area = imageCanvas.getClientArea();
    gc.setBackground(backdrop);
    gc.fillRectangle(area);
    Image image = shownBase != null ? shownBase : shownHeat;
    if (image == null) {
      gc.setForeground(display.getSystemColor(SWT.COLOR_GRAY));
      String text = shown != null && shown.isError() ? shown.error() : "No image yet";
      Point extent = gc.textExtent(text);
      gc.drawText(text, (area.width - extent.x) / 2, (area.height - extent.y) / 2, true);
      return;
    }
    Rectangle bounds = image.getBounds();
    Rectangle target = fit(bounds.width, bounds.height, area);
    gc.setInterpolation(SWT.HIGH);
    gc.drawImage(image, 0, 0, bounds.width, bounds.height, target.x, target.y, target.width, target.height);
    if (shownBase != null && shownHeat != null && opacity.getSelection() > 0) {
      Rectangle heat = shownHeat.getBounds();
      gc.setAlpha(opacity.getSelection() * 255 / 100);
      gc.drawImage(shownHeat, 0, 0, heat.width, heat.height, target.x, target.y, target.width, target.height);
      gc.setAlpha(255);
    }
  }

  /** The largest rectangle of the image's aspect that fits {@code area}, centred. */
  static Rectangle fit(int width, int height, Rectangle area) {
    double factor = Math.min((double) area.width / width, (double) area.height / height);
    int w = Math.max(1, (int) (width * factor));
    int h = Math.max(1, (int) (height * factor));
    return new Rectangle(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2, w, h);
  }

  private void paintColourBar(GC gc) {
    Rectangle area = colourBar.getClientArea();
    gc.setBackground(root.getBackground());
    gc.fillRectangle(area);
    int top = 10;
    int bottom = area.height - 10;
    if (bottom - top < 20) {
      return;
    }
    int barWidth = 24;
    Rectangle bar = colourBarImage.getBounds();
    gc.drawImage(colourBarImage, 0, 0, bar.width, bar.height, 4, top, barWidth, bottom - top);
    gc.setForeground(display.getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
    ScoreScale.Range range = shown == null ? null : shown.range();
    if (range == null) {
      gc.drawText("score scale", barWidth + 12, top, true);
      return;
    }
    int textX = barWidth + 12;
    gc.drawText(format(range.hi()), textX, top - 2, true);
    gc.drawText(format(range.lo()), textX, bottom - gc.getFontMetrics().getHeight() + 2, true);
    if (Double.isFinite(range.threshold())) {
      int y = bottom - (int) Math.round(range.position(range.threshold()) * (bottom - top));
      gc.setLineWidth(2);
      gc.drawLine(0, y, barWidth + 8, y);
      gc.setLineWidth(1);
      gc.drawText("threshold " + format(range.threshold()), textX, y - gc.getFontMetrics().getHeight() / 2, true);
    }
    if (shown != null && !shown.isError()) {
      int y = bottom - (int) Math.round(Math.max(0, Math.min(1, range.position(shown.rawScore()))) * (bottom - top));
      gc.setBackground(display.getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
      gc.fillPolygon(new int[] {barWidth + 4, y, barWidth + 11, y - 5, barWidth + 11, y + 5});
    }
  }

  private static String format(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private void paintSlot(GC gc, int index, Rectangle area) {
    gc.setBackground(root.getBackground());
    gc.fillRectangle(area);
    if (index >= strip.size()) {
      gc.setForeground(display.getSystemColor(SWT.COLOR_GRAY));
      gc.drawRectangle(area.x + 2, area.y + 2, area.width - 5, area.width - 5);
      return;
    }
    StripEntry entry = strip.get(index);
    RenderedResult result = entry.result();
    Color frame = result.isError() ? error : result.decision() == Decision.NOK ? nok : ok;
    boolean isShown = shown == result;
    gc.setBackground(frame);
    gc.fillRectangle(area.x, area.y, area.width, area.width);
    if (entry.thumbnail() != null) {
      Rectangle bounds = entry.thumbnail().getBounds();
      Rectangle target = fit(bounds.width, bounds.height, new Rectangle(4, 4, area.width - 8, area.width - 8));
      gc.drawImage(entry.thumbnail(), 0, 0, bounds.width, bounds.height, target.x, target.y, target.width,
          target.height);
    }
    if (isShown) {
      gc.setForeground(display.getSystemColor(SWT.COLOR_BLACK));
      gc.setLineWidth(3);
      gc.drawRectangle(area.x + 1, area.y + 1, area.width - 3, area.width - 3);
      gc.setLineWidth(1);
    }
    gc.setForeground(display.getSystemColor(SWT.COLOR_WIDGET_FOREGROUND));
    String caption = "#" + result.sequence() + " " + (result.isError() ? "ERR" : result.decision());
    gc.drawText(caption, area.x + 2, area.width, true);
  }

  /** A vertical strip of the colour map, hottest at the top. */
  private static ImageData colourBarData() {
    int height = 256;
    ImageData data = new ImageData(1, height, 24, new PaletteData(0xFF0000, 0x00FF00, 0x0000FF));
    for (int y = 0; y < height; y++) {
      data.setPixel(0, y, Colormap.jet(1.0 - y / (height - 1.0)));
    }
    return data;
  }

  @Override
  public void activated() {
    imageCanvas.redraw();
  }

  @Override
  public void dispose() {
    disposed = true;
    onDispose.accept(this);
    incoming.clear();
    disposeShownImages();
    for (StripEntry entry : strip) {
      if (entry.thumbnail() != null) {
        entry.thumbnail().dispose();
      }
    }
    strip.clear();
    colourBarImage.dispose();
    decisionFont.dispose();
    for (Color colour : new Color[] {ok, nok, error, idle, backdrop}) {
      colour.dispose();
    }
  }

  private void disposeShownImages() {
    if (shownBase != null) {
      shownBase.dispose();
      shownBase = null;
    }
    if (shownHeat != null) {
      shownHeat.dispose();
      shownHeat = null;
    }
  }
}
