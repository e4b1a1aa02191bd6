package io.vigil.ui.views.capture.internal;

import io.vigil.api.image.Frame;
import io.vigil.api.image.GroundTruth;
import io.vigil.api.source.FrameReadException;
import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.dataset.capture.CaptureFolder;
import io.vigil.dataset.capture.CaptureLog;
import io.vigil.dataset.capture.SourceSettings;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Image;
import org.eclipse.swt.graphics.ImageData;
import org.eclipse.swt.graphics.PaletteData;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;
import org.osgi.framework.ServiceReference;

/**
 * One window's capture view. A preview thread of its own ({@code vigil-capture-preview}) reads the
 * chosen source and keeps its latest frame; the UI thread only draws it. Saving writes that frame
 * on a worker thread into the data set, numbered on, never over a file, logged in capture.csv.
 */
final class CapturePart implements ViewPart {
  private static final Duration POLL = Duration.ofMillis(500);

  private final ViewSite site;
  private final CaptureView view;
  private final Consumer<CapturePart> onDispose;
  private final Combo source;
  private final Button preview;
  private final Text folder;
  private final Canvas canvas;
  private final Label frameInfo;
  private final Combo defectType;
  private final Label counters;
  private final Label status;
  private final Color background;

  private Image shown;
  /** The frame on screen and what capture.csv needs of its source; replaced by the preview thread. */
  private volatile Captured latest;
  private Thread previewThread;
  private AtomicBoolean previewRunning;
  /** Set while a converted frame waits for the UI thread, so a slow UI skips frames instead of queueing them. */
  private final AtomicBoolean drawPending = new AtomicBoolean();

  private record Captured(Frame frame, String sourceName, Map<String, String> settings) {}

  CapturePart(Composite parent, ViewSite site, CaptureView view, Consumer<CapturePart> onDispose) {
    this.site = site;
    this.view = view;
    this.onDispose = onDispose;
    background = new Color(parent.getDisplay(), 40, 40, 40);
    Composite root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(2, false));

    Composite top = new Composite(root, SWT.NONE);
    top.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false, 2, 1));
    top.setLayout(new GridLayout(6, false));
    new Label(top, SWT.NONE).setText("Source:");
    source = new Combo(top, SWT.READ_ONLY);
    tag(source, "capture.source");
    preview = new Button(top, SWT.PUSH);
    preview.setText("Start preview");
    tag(preview, "capture.preview");
    preview.addListener(SWT.Selection, e -> togglePreview());
    new Label(top, SWT.NONE).setText("Data set:");
    folder = new Text(top, SWT.BORDER | SWT.SINGLE);
    folder.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    folder.setMessage("the data set folder the images go into (MVTec AD layout, created when new)");
    tag(folder, "capture.folder");
    folder.addListener(SWT.DefaultSelection, e -> recount());
    Button browse = new Button(top, SWT.PUSH);
    browse.setText("Choose...");
    browse.addListener(SWT.Selection, e -> {
      String chosen = new DirectoryDialog(browse.getShell()).open();
      if (chosen != null) {
        folder.setText(chosen);
        recount();
      }
    });

    canvas = new Canvas(root, SWT.BORDER | SWT.DOUBLE_BUFFERED | SWT.NO_BACKGROUND);
    canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    tag(canvas, "capture.canvas");
    canvas.addListener(SWT.Paint, e -> paint(e.gc));

    Composite side = new Composite(root, SWT.NONE);
    GridData sideData = new GridData(SWT.FILL, SWT.FILL, false, true);
    sideData.widthHint = 260;
    side.setLayoutData(sideData);
    side.setLayout(new GridLayout(1, false));
    frameInfo = label(side, "no frame", "capture.frame");
    Button train = button(side, "Save as good (train)", "capture.save.train");
    train.addListener(SWT.Selection, e -> save("train/" + GroundTruth.GOOD));
    Button testGood = button(side, "Save as good (test)", "capture.save.test.good");
    testGood.addListener(SWT.Selection, e -> save("test/" + GroundTruth.GOOD));
    new Label(side, SWT.NONE).setText("Defect type (choose or type):");
    defectType = new Combo(side, SWT.DROP_DOWN);
    defectType.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    tag(defectType, "capture.defect.type");
    Button defect = button(side, "Save as defect", "capture.save.defect");
    defect.addListener(SWT.Selection, e -> save("test/" + defectType.getText().trim()));
    new Label(side, SWT.NONE).setText("Images in the data set:");
    counters = label(side, "-", "capture.counters");
    counters.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    status = label(side, "", "capture.status");
    status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    sourcesChangedOnUi();
  }

  private static void tag(Control control, String id) {
    control.setData(View.WIDGET_ID, id);
  }

  private static Label label(Composite parent, String text, String id) {
    Label label = new Label(parent, SWT.WRAP);
    label.setText(text);
    tag(label, id);
    return label;
  }

  private static Button button(Composite parent, String text, String id) {
    Button button = new Button(parent, SWT.PUSH);
    button.setText(text);
    button.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    tag(button, id);
    return button;
  }

  /** Any thread: a source came or went. */
  void sourcesChanged() {
    site.asyncExec(this::sourcesChangedOnUi);
  }

  private void sourcesChangedOnUi() {
    String chosen = source.getText();
    List<String> names = new ArrayList<>(view.sources().keySet().stream()
        .map(r -> String.valueOf(r.getProperty(ImageSource.NAME_PROPERTY))).sorted().toList());
    source.setItems(names.toArray(String[]::new));
    int index = names.indexOf(chosen);
    source.select(index >= 0 ? index : 0);
    source.getParent().layout();
  }

  private Map.Entry<ServiceReference<ImageSource>, ImageSource> chosenSource() {
    String name = source.getText();
    return view.sources().entrySet().stream()
        .filter(e -> name.equals(String.valueOf(e.getKey().getProperty(ImageSource.NAME_PROPERTY))))
        .min(Comparator.comparing(Map.Entry::getKey))
        .orElse(null);
  }

  // --- preview -----------------------------------------------------------------------------------

  private void togglePreview() {
    if (previewThread != null) {
      stopPreview();
      return;
    }
    Map.Entry<ServiceReference<ImageSource>, ImageSource> chosen = chosenSource();
    if (chosen == null) {
      status.setText("no image source chosen");
      return;
    }
    ImageSource imageSource = chosen.getValue();
    Map<String, String> settings = SourceSettings.of(chosen.getKey());
    AtomicBoolean running = new AtomicBoolean(true);
    previewRunning = running;
    previewThread = new Thread(() -> readFrames(imageSource, settings, running), "vigil-capture-preview");
    previewThread.setDaemon(true);
    previewThread.start();
    preview.setText("Stop preview");
    source.setEnabled(false);
    preview.getParent().layout();
  }

  private void stopPreview() {
    if (previewThread != null) {
      previewRunning.set(false);
      previewThread.interrupt();
      previewThread = null;
    }
    if (!preview.isDisposed()) {
      preview.setText("Start preview");
      source.setEnabled(true);
    }
  }

  /** Stops the preview the preview thread of {@code run} belongs to, not one started since. */
  private void stopPreview(AtomicBoolean run) {
    if (previewRunning == run) {
      stopPreview();
    }
  }

  /**
   * The preview thread: frames of the source until stopped. A stream that fails while reading (a
   * lost camera, which reconnects by itself) is opened again; a source that cannot be opened at all
   * stops the preview, so a missing folder does not spin.
   */
  private void readFrames(ImageSource imageSource, Map<String, String> settings, AtomicBoolean running) {
    while (running.get() && !Thread.currentThread().isInterrupted()) {
      FrameStream opened;
      try {
        opened = imageSource.open();
      } catch (IOException e) {
        site.asyncExec(() -> {
          status.setText("cannot open " + imageSource.name() + ": " + e.getMessage());
          stopPreview(running);
        });
        return;
      }
      try (FrameStream stream = opened) {
        while (running.get()) {
          Frame frame;
          try {
            frame = stream.next(POLL);
          } catch (FrameReadException e) {
            site.asyncExec(() -> status.setText("unreadable frame: " + e.getMessage()));
            continue;
          }
          if (frame == null) {
            if (stream.isExhausted()) {
              site.asyncExec(() -> {
                status.setText(imageSource.name() + " has no more frames");
                stopPreview(running);
              });
              return;
            }
            continue;
          }
          latest = new Captured(frame, imageSource.name(), settings);
          if (drawPending.compareAndSet(false, true)) {
            ImageData data = imageData(frame.image().toRgb8());
            site.asyncExec(() -> show(data, frame));
          }
        }
      } catch (InterruptedException e) {
        return;
      } catch (IOException e) {
        site.asyncExec(() -> status.setText(e.getMessage()));
      }
    }
  }

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

  private void show(ImageData data, Frame frame) {
    drawPending.set(false);
    if (shown != null) {
      shown.dispose();
    }
    shown = new Image(canvas.getDisplay(), data);
    frameInfo.setText("frame " + frame.id() + "\n" + frame.image().width() + "x" + frame.image().height() + ", "
        + frame.image().channels() + " channel(s), " + frame.image().bitDepth() + "-bit");
    frameInfo.getParent().layout();
    canvas.redraw();
  }

  private void paint(GC gc) {
    Rectangle area = canvas.getClientArea();
    gc.setBackground(background);
    gc.fillRectangle(area);
    if (shown == null) {
      return;
    }
    Rectangle size = shown.getBounds();
    double zoom = Math.min((double) area.width / size.width, (double) area.height / size.height);
    int w = (int) (size.width * zoom);
    int h = (int) (size.height * zoom);
    gc.drawImage(shown, 0, 0, size.width, size.height, (area.width - w) / 2, (area.height - h) / 2, w, h);
  }

  // --- saving ------------------------------------------------------------------------------------

  private Path root() {
    String text = folder.getText().trim();
    return text.isEmpty() ? null : Path.of(text).toAbsolutePath().normalize();
  }

  /** Saves the frame on screen as {@code as} (train/good, test/good, test/TYPE) on a worker thread. */
  private void save(String as) {
    Captured captured = latest;
    Path root = root();
    if (captured == null) {
      status.setText("no frame yet: start the preview");
      return;
    }
    if (root == null) {
      status.setText("choose the data set folder first");
      return;
    }
    site.background().execute(() -> {
      try {
        CaptureFolder target = CaptureFolder.create(root, as);
        Path file = target.write(captured.frame().image());
        try (CaptureLog log = new CaptureLog(root)) {
          log.record(file, captured.sourceName(), captured.frame(), captured.settings());
        }
        String counts = counts(root);
        List<String> types = defectTypes(root);
        site.asyncExec(() -> {
          status.setText("saved " + root.relativize(file).toString().replace('\\', '/'));
          counters.setText(counts);
          String typed = defectType.getText();
          defectType.setItems(types.toArray(String[]::new));
          defectType.setText(typed);
          counters.getParent().layout();
        });
      } catch (IOException | IllegalArgumentException e) {
        site.asyncExec(() -> status.setText("not saved: " + e.getMessage()));
      }
    });
  }

  private void recount() {
    Path root = root();
    if (root == null) {
      return;
    }
    site.background().execute(() -> {
      try {
        String counts = counts(root);
        List<String> types = defectTypes(root);
        site.asyncExec(() -> {
          counters.setText(counts);
          String typed = defectType.getText();
          defectType.setItems(types.toArray(String[]::new));
          defectType.setText(typed);
          counters.getParent().layout();
        });
      } catch (IOException e) {
        site.asyncExec(() -> counters.setText(e.getMessage()));
      }
    });
  }

  /** "train/good 12, test/good 3, test/crack 2": the images in each folder of the layout. */
  static String counts(Path root) throws IOException {
    List<String> parts = new ArrayList<>();
    for (String folder : folders(root)) {
      parts.add(folder + " " + io.vigil.image.ImageFileNames.list(root.resolve(folder)).size());
    }
    return parts.isEmpty() ? "none yet" : String.join("\n", parts);
  }

  private static List<String> folders(Path root) throws IOException {
    List<String> folders = new ArrayList<>();
    if (java.nio.file.Files.isDirectory(root.resolve("train/good"))) {
      folders.add("train/good");
    }
    if (java.nio.file.Files.isDirectory(root.resolve("test"))) {
      try (var types = java.nio.file.Files.list(root.resolve("test"))) {
        types.filter(java.nio.file.Files::isDirectory).map(p -> "test/" + p.getFileName()).sorted().forEach(folders::add);
      }
    }
    return folders;
  }

  private static List<String> defectTypes(Path root) throws IOException {
    return folders(root).stream().filter(f -> f.startsWith("test/") && !f.equals("test/good"))
        .map(f -> f.substring("test/".length())).toList();
  }

  @Override
  public void dispose() {
    stopPreview();
    if (shown != null) {
      shown.dispose();
    }
    background.dispose();
    onDispose.accept(this);
  }
}
