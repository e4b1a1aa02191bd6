package io.vigil.ui.views.evaluation.internal;

import io.vigil.image.RecognizedDataset;
import io.vigil.api.detector.Detector;
import io.vigil.api.metric.Metric;
import io.vigil.api.source.ImageSource;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import io.vigil.ui.views.evaluation.internal.EvaluationRun.MetricOutcome;
import io.vigil.ui.views.evaluation.internal.EvaluationRun.Outcome;
import io.vigil.ui.views.evaluation.internal.Summaries.DefectBar;
import io.vigil.ui.views.evaluation.internal.Summaries.Operating;
import io.vigil.ui.views.evaluation.internal.Summaries.RocPoint;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Point;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.TabFolder;
import org.eclipse.swt.widgets.TabItem;
import org.eclipse.swt.widgets.Text;

/**
 * The evaluation view in one window. Scoring runs on a background thread; changing the threshold
 * only recomputes counts over the kept image scores.
 */
final class EvaluationPart implements ViewPart {
  private static final int BAR_STEPS = 1000;

  private final ViewSite site;
  private final EvaluationView view;
  private final AtomicInteger progressDone = new AtomicInteger();
  private final AtomicInteger progressTotal = new AtomicInteger(-1);
  private final AtomicBoolean progressScheduled = new AtomicBoolean();
  private volatile boolean cancelled;

  // UI thread only from here on.
  private final TabFolder modes;
  private final Composite root;
  private final CompareTab compare;
  private final Combo detector;
  private final Text dataset;
  private final Combo split;
  private final Button run;
  private final Button cancel;
  private final ProgressBar bar;
  private final Label progressText;
  private final Text threshold;
  private final Label summary;
  private final SortableTable metricsTable;
  private final Canvas rocCanvas;
  private final Canvas defectsCanvas;
  private final SortableTable falsePositives;
  private final SortableTable falseNegatives;
  private final Color curve;
  private final Color point;
  private final Color goodBar;
  private final Color defectBar;
  private RecognizedDataset recognized;
  private Outcome outcome;
  private List<RocPoint> roc = List.of();
  private double chosenThreshold = Double.NaN;
  private boolean running;
  private boolean disposed;

  EvaluationPart(Composite parent, ViewSite site, EvaluationView view) {
    this.site = site;
    this.view = view;
    curve = new Color(parent.getDisplay(), 30, 90, 200);
    point = new Color(parent.getDisplay(), 210, 40, 40);
    goodBar = new Color(parent.getDisplay(), 230, 140, 20);
    defectBar = new Color(parent.getDisplay(), 46, 160, 67);
    // Two modes: evaluate one detector here, or compare evaluation folders side by side.
    modes = new TabFolder(parent, SWT.TOP);
    modes.setData(View.WIDGET_ID, "evaluation.mode");
    root = new Composite(modes, SWT.NONE);
    root.setLayout(new GridLayout(1, false));
    TabItem evaluate = new TabItem(modes, SWT.NONE);
    evaluate.setText("Evaluate");
    evaluate.setControl(root);
    compare = new CompareTab(modes, site, view, () -> outcome);
    TabItem compareItem = new TabItem(modes, SWT.NONE);
    compareItem.setText("Compare");
    compareItem.setControl(compare.control());

    Composite controls = new Composite(root, SWT.NONE);
    controls.setLayout(new GridLayout(8, false));
    controls.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    new Label(controls, SWT.NONE).setText("Detector");
    detector = new Combo(controls, SWT.READ_ONLY | SWT.DROP_DOWN);
    detector.setData(View.WIDGET_ID, "evaluation.detector");
    GridData detectorData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
    detectorData.widthHint = 200;
    detector.setLayoutData(detectorData);
    new Label(controls, SWT.NONE).setText("Labelled data set");
    dataset = new Text(controls, SWT.BORDER | SWT.SINGLE);
    dataset.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    dataset.setData(View.WIDGET_ID, "evaluation.data");
    dataset.addListener(SWT.DefaultSelection, event -> recognize());
    dataset.addListener(SWT.FocusOut, event -> recognize());
    Button browse = new Button(controls, SWT.PUSH);
    browse.setText("Browse…");
    browse.addListener(SWT.Selection, event -> browse());
    split = new Combo(controls, SWT.READ_ONLY | SWT.DROP_DOWN);
    split.setData(View.WIDGET_ID, "evaluation.split");
    run = new Button(controls, SWT.PUSH);
    run.setText("Run evaluation");
    run.setData(View.WIDGET_ID, "evaluation.run");
    run.addListener(SWT.Selection, event -> start());
    cancel = new Button(controls, SWT.PUSH);
    cancel.setText("Cancel");
    cancel.setEnabled(false);
    cancel.setData(View.WIDGET_ID, "evaluation.cancel");
    cancel.addListener(SWT.Selection, event -> cancelled = true);

    Composite progressRow = new Composite(root, SWT.NONE);
    progressRow.setLayout(new GridLayout(6, false));
    progressRow.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    bar = new ProgressBar(progressRow, SWT.HORIZONTAL | SWT.SMOOTH);
    bar.setMaximum(BAR_STEPS);
    GridData barData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
    barData.widthHint = 240;
    bar.setLayoutData(barData);
    bar.setData(View.WIDGET_ID, "evaluation.progress");
    progressText = new Label(progressRow, SWT.NONE);
    GridData progressData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
    progressData.widthHint = 300;
    progressText.setLayoutData(progressData);
    progressText.setData(View.WIDGET_ID, "evaluation.progress.text");
    new Label(progressRow, SWT.NONE).setText("Threshold");
    threshold = new Text(progressRow, SWT.BORDER | SWT.SINGLE);
    GridData thresholdData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
    thresholdData.widthHint = 90;
    threshold.setLayoutData(thresholdData);
    threshold.setData(View.WIDGET_ID, "evaluation.threshold");
    threshold.addListener(SWT.Modify, event -> thresholdTyped());
    Button modelThreshold = new Button(progressRow, SWT.PUSH);
    modelThreshold.setText("Model's");
    modelThreshold.setData(View.WIDGET_ID, "evaluation.threshold.reset");
    modelThreshold.addListener(SWT.Selection, event -> {
      if (outcome != null) {
        threshold.setText(format(outcome.calibratedThreshold()));
      }
    });
    summary = new Label(progressRow, SWT.WRAP);
    summary.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    summary.setData(View.WIDGET_ID, "evaluation.summary");

    Composite charts = new Composite(root, SWT.NONE);
    GridLayout chartsLayout = new GridLayout(3, true);
    chartsLayout.marginWidth = 0;
    charts.setLayout(chartsLayout);
    GridData chartsData = new GridData(SWT.FILL, SWT.FILL, true, true);
    chartsData.heightHint = 300;
    charts.setLayoutData(chartsData);
    metricsTable = new SortableTable(column(charts, "Metrics"), "evaluation.metrics",
        new String[] {"metric", "value", "details"}, new int[] {160, 70, 300}, new boolean[] {false, true, false});
    rocCanvas = canvas(column(charts, "ROC curve (image level)"), "evaluation.roc");
    rocCanvas.addPaintListener(event -> paintRoc(event.gc, rocCanvas.getClientArea()));
    defectsCanvas = canvas(column(charts, "Rejected per type at the threshold"), "evaluation.defects");
    defectsCanvas.addPaintListener(event -> paintDefects(event.gc, defectsCanvas.getClientArea()));

    Composite mistakes = new Composite(root, SWT.NONE);
    GridLayout mistakesLayout = new GridLayout(2, true);
    mistakesLayout.marginWidth = 0;
    mistakes.setLayout(mistakesLayout);
    GridData mistakesData = new GridData(SWT.FILL, SWT.FILL, true, true);
    mistakesData.heightHint = 200;
    mistakes.setLayoutData(mistakesData);
    String[] titles = {"image", "type", "score"};
    int[] widths = {360, 90, 90};
    boolean[] numeric = {false, false, true};
    falsePositives = new SortableTable(column(mistakes, "Worst false positives (good parts rejected)"),
        "evaluation.fp", titles, widths, numeric);
    falseNegatives = new SortableTable(column(mistakes, "Worst false negatives (defects passed)"),
        "evaluation.fn", titles, widths, numeric);

    fillDetectors();
  }

  private static Composite column(Composite parent, String title) {
    Composite column = new Composite(parent, SWT.NONE);
    GridLayout layout = new GridLayout(1, false);
    layout.marginWidth = 0;
    layout.marginHeight = 0;
    column.setLayout(layout);
    column.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    new Label(column, SWT.NONE).setText(title);
    return column;
  }

  private static Canvas canvas(Composite parent, String id) {
    Canvas canvas = new Canvas(parent, SWT.BORDER | SWT.DOUBLE_BUFFERED);
    canvas.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    canvas.setData(View.WIDGET_ID, id);
    return canvas;
  }

  /** Detectors came or went. Any thread. */
  void detectorsChanged() {
    site.asyncExec(this::fillDetectors);
  }

  private void fillDetectors() {
    String selected = detector.getText();
    List<String> names = view.detectorNames();
    detector.setItems(names.toArray(String[]::new));
    int index = names.indexOf(selected);
    if (index < 0 && !names.isEmpty()) {
      index = 0;
    }
    if (index >= 0) {
      detector.select(index);
    }
    run.setEnabled(!running && !names.isEmpty());
  }

  private void browse() {
    DirectoryDialog dialog = new DirectoryDialog(root.getShell());
    dialog.setText("Labelled data set folder");
    dialog.setFilterPath(dataset.getText());
    String chosen = dialog.open();
    if (chosen != null) {
      dataset.setText(chosen);
      recognize();
    }
  }

  private void recognize() {
    String text = dataset.getText().trim();
    if (text.isEmpty() || (recognized != null && recognized.root().toString().equals(text))) {
      return;
    }
    Path rootPath = Path.of(text).toAbsolutePath().normalize();
    var formats = view.formatsByRanking();
    progressText.setText("Looking at " + rootPath + "…");
    site.background().execute(() -> {
      try {
        RecognizedDataset found = RecognizedDataset.recognize(formats, rootPath);
        site.asyncExec(() -> {
          recognized = found;
          split.setItems(found.splits().toArray(String[]::new));
          String preferred = found.split("test");
          if (preferred != null) {
            split.select(found.splits().indexOf(preferred));
          }
          progressText.setText(found.format().name() + " data set");
          root.layout(true, true);
        });
      } catch (Exception e) {
        site.asyncExec(() -> {
          recognized = null;
          split.removeAll();
          progressText.setText(e.getMessage());
        });
      }
    });
  }

  private void start() {
    Path typed = dataset.getText().isBlank() ? null : Path.of(dataset.getText().trim()).toAbsolutePath().normalize();
    if (recognized == null || typed == null || !recognized.root().equals(typed)) {
      progressText.setText("Choose a labelled data set folder first (Browse…, or type it and press Enter).");
      recognize();
      return;
    }
    Detector chosen = view.detector(detector.getText());
    if (chosen == null) {
      progressText.setText("Choose a detector.");
      return;
    }
    Map<String, Metric> metrics = view.metricsByName();
    RecognizedDataset data = recognized;
    String splitName = split.getText();
    running = true;
    cancelled = false;
    run.setEnabled(false);
    cancel.setEnabled(true);
    bar.setSelection(0);
    progressDone.set(0);
    progressText.setText("Scoring " + data.root().getFileName() + "/" + splitName + " with " + chosen.name() + "…");
    site.setStatus("evaluating " + chosen.name());
    site.background().execute(() -> {
      try {
        ImageSource source = data.format().open(data.root(), splitName);
        Outcome result = EvaluationRun.run(chosen, source, metrics, new EvaluationRun.Progress() {
          @Override
          public void scored(int done, int total) {
            progressDone.set(done);
            progressTotal.set(total);
            if (progressScheduled.compareAndSet(false, true)) {
              site.asyncExec(EvaluationPart.this::showProgress);
            }
          }

          @Override
          public boolean isCancelled() {
            return cancelled || Thread.currentThread().isInterrupted();
          }
        });
        site.asyncExec(() -> show(result));
        site.setStatus(String.format(Locale.ROOT, "%s evaluated on %d images", chosen.name(), result.images().size()));
      } catch (CancellationException e) {
        site.asyncExec(() -> finished("Cancelled: " + e.getMessage()));
      } catch (Exception e) {
        site.asyncExec(() -> finished("Evaluation failed: " + describe(e)));
      }
    });
  }

  private void showProgress() {
    progressScheduled.set(false);
    if (disposed || !running) {
      return;
    }
    int done = progressDone.get();
    int total = progressTotal.get();
    bar.setSelection(total > 0 ? done * BAR_STEPS / total : 0);
    progressText.setText(total > 0 ? "scored " + done + " of " + total + " images" : "scored " + done + " images");
  }

  private void finished(String message) {
    running = false;
    cancel.setEnabled(false);
    run.setEnabled(!view.detectorNames().isEmpty());
    progressText.setText(message);
  }

  private void show(Outcome result) {
    outcome = result;
    roc = Summaries.roc(result.images());
    bar.setSelection(BAR_STEPS);
    finished(String.format(Locale.ROOT, "%d images scored by %s in %.1f s", result.images().size(), result.detector(),
        result.elapsed().toMillis() / 1000.0));
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"image_auroc (view)", format(Summaries.auc(roc)), "from the image scores"});
    for (MetricOutcome metric : result.metrics()) {
      if (metric.result() == null) {
        rows.add(new String[] {metric.name(), "", "failed: " + metric.error()});
      } else {
        String details = metric.result().details().entrySet().stream()
            .map(e -> e.getKey() + " " + format(e.getValue())).collect(Collectors.joining(", "));
        rows.add(new String[] {metric.name(), format(metric.result().value()), details});
      }
    }
    if (result.metrics().isEmpty()) {
      rows.add(new String[] {"(no Metric services)", "", "install io.vigil.metrics for AUROC, AU-PRO, F1-max"});
    }
    metricsTable.setRows(rows);
    threshold.setText(format(result.calibratedThreshold())); // recomputes the rest
  }

  private void thresholdTyped() {
    if (outcome == null) {
      return;
    }
    try {
      chosenThreshold = Double.parseDouble(threshold.getText().trim());
    } catch (NumberFormatException e) {
      summary.setText("Type a number for the threshold.");
      return;
    }
    Operating operating = Summaries.at(outcome.images(), chosenThreshold);
    summary.setText(String.format(Locale.ROOT,
        "At %s: %.1f%% of defects caught, %.1f%% of good parts rejected; %d false positives, %d false negatives",
        format(chosenThreshold), 100 * operating.truePositiveRate(), 100 * operating.falsePositiveRate(),
        operating.falsePositives(), operating.falseNegatives()));
    falsePositives.setRows(rows(Summaries.falsePositives(outcome.images(), chosenThreshold)));
    falseNegatives.setRows(rows(Summaries.falseNegatives(outcome.images(), chosenThreshold)));
    rocCanvas.redraw();
    defectsCanvas.redraw();
    summary.getParent().layout(true);
  }

  private static List<String[]> rows(List<ScoredImage> images) {
    return images.stream().map(i -> new String[] {i.id(), i.defectType(), format(i.score())}).toList();
  }

  private void paintRoc(GC gc, Rectangle area) {
    gc.setBackground(gc.getDevice().getSystemColor(SWT.COLOR_WHITE));
    gc.fillRectangle(area);
    int margin = 36;
    Rectangle plot = new Rectangle(margin, 10, area.width - margin - 12, area.height - margin - 10);
    if (plot.width < 40 || plot.height < 40) {
      return;
    }
    gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_DARK_GRAY));
    gc.drawRectangle(plot);
    gc.setLineStyle(SWT.LINE_DOT);
    gc.drawLine(plot.x, plot.y + plot.height, plot.x + plot.width, plot.y);
    gc.setLineStyle(SWT.LINE_SOLID);
    gc.drawText("0", plot.x - 12, plot.y + plot.height - 6, true);
    gc.drawText("1", plot.x - 12, plot.y - 2, true);
    gc.drawText("false positive rate", plot.x + plot.width / 2 - 50, plot.y + plot.height + 8, true);
    gc.drawText("1", plot.x + plot.width - 4, plot.y + plot.height + 2, true);
    gc.drawText("TPR", 2, plot.y + plot.height / 2, true);
    if (roc.size() < 2) {
      gc.drawText("Run an evaluation", plot.x + 20, plot.y + 20, true);
      return;
    }
    int[] polyline = new int[roc.size() * 2];
    for (int i = 0; i < roc.size(); i++) {
      Point p = toPlot(plot, roc.get(i).falsePositiveRate(), roc.get(i).truePositiveRate());
      polyline[2 * i] = p.x;
      polyline[2 * i + 1] = p.y;
    }
    gc.setForeground(curve);
    gc.setLineWidth(2);
    gc.drawPolyline(polyline);
    gc.setLineWidth(1);
    gc.drawText(String.format(Locale.ROOT, "AUROC %.3f", Summaries.auc(roc)), plot.x + plot.width - 100,
        plot.y + plot.height - 22, true);
    if (outcome != null && Double.isFinite(chosenThreshold)) {
      Operating operating = Summaries.at(outcome.images(), chosenThreshold);
      double fpr = Double.isNaN(operating.falsePositiveRate()) ? 0 : operating.falsePositiveRate();
      double tpr = Double.isNaN(operating.truePositiveRate()) ? 0 : operating.truePositiveRate();
      Point p = toPlot(plot, fpr, tpr);
      gc.setBackground(point);
      gc.fillOval(p.x - 5, p.y - 5, 10, 10);
      gc.setForeground(point);
      gc.drawText("threshold " + format(chosenThreshold), Math.min(p.x + 8, plot.x + plot.width - 120), p.y + 6, true);
    }
  }

  private static Point toPlot(Rectangle plot, double x, double y) {
    return new Point(plot.x + (int) Math.round(x * plot.width), plot.y + plot.height - (int) Math.round(y * plot.height));
  }

  private void paintDefects(GC gc, Rectangle area) {
    gc.setBackground(gc.getDevice().getSystemColor(SWT.COLOR_WHITE));
    gc.fillRectangle(area);
    gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
    if (outcome == null || !Double.isFinite(chosenThreshold)) {
      gc.drawText("Run an evaluation", 20, 20, true);
      return;
    }
    List<DefectBar> bars = Summaries.defectBars(outcome.images(), chosenThreshold);
    int labelWidth = 90;
    int rowHeight = Math.max(18, Math.min(40, (area.height - 20) / Math.max(1, bars.size())));
    int barSpace = area.width - labelWidth - 20;
    int y = 10;
    for (DefectBar bar : bars) {
      boolean good = "good".equals(bar.type());
      gc.setForeground(gc.getDevice().getSystemColor(SWT.COLOR_BLACK));
      gc.drawText(bar.type(), 8, y + 2, true);
      gc.setBackground(good ? goodBar : defectBar);
      int width = (int) Math.round(bar.rejectedShare() * barSpace);
      gc.fillRectangle(labelWidth, y, Math.max(1, width), rowHeight - 6);
      gc.drawText(String.format(Locale.ROOT, "%d/%d %s", bar.rejected(), bar.images(), good ? "false alarms" : "caught"),
          labelWidth + 4, y + 2, true);
      y += rowHeight;
    }
  }

  static String format(double value) {
    return String.format(Locale.ROOT, "%.4g", value);
  }

  private static String describe(Throwable error) {
    StringBuilder message = new StringBuilder(error.getMessage() != null ? error.getMessage() : error.toString());
    for (Throwable cause = error.getCause(); cause != null && cause != error; cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append(": ").append(cause.getMessage());
      }
    }
    return message.toString();
  }

  @Override
  public void dispose() {
    disposed = true;
    cancelled = true;
    view.partDisposed(this);
    compare.dispose();
    for (Color colour : new Color[] {curve, point, goodBar, defectBar}) {
      colour.dispose();
    }
  }
}
