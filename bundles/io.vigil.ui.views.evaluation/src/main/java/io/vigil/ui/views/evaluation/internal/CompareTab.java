package io.vigil.ui.views.evaluation.internal;

import io.vigil.report.compare.api.ComparedModel;
import io.vigil.report.compare.api.ComparisonReports;
import io.vigil.report.compare.api.RocPoint;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewSite;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.graphics.GC;
import org.eclipse.swt.graphics.Rectangle;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.program.Program;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Canvas;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Text;

/**
 * The evaluation view's compare mode: evaluation folders ({@code ./vigil eval}'s or
 * {@code ./vigil compare}'s OUT/evaluations/*) side by side in the report's summary table and one
 * ROC chart, and the HTML report written and opened in the system browser. Folders are read and
 * the report written on the window's worker threads; widgets change on the UI thread only.
 */
final class CompareTab {
  private final ViewSite site;
  private final Supplier<EvaluationRun.Outcome> lastRun;
  private final EvaluationView view;
  // UI thread only from here on.
  private final Composite root;
  private final Text folder;
  private final Text data;
  private final Text out;
  private final Button openReport;
  private final Label status;
  private final SortableTable table;
  private final Canvas rocCanvas;
  private final List<Color> colours = new ArrayList<>();
  private final List<ComparedModel> models = new ArrayList<>();
  private boolean writing;

  CompareTab(Composite parent, ViewSite site, EvaluationView view, Supplier<EvaluationRun.Outcome> lastRun) {
    this.site = site;
    this.view = view;
    this.lastRun = lastRun;
    root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(1, false));

    Composite controls = new Composite(root, SWT.NONE);
    controls.setLayout(new GridLayout(6, false));
    controls.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    new Label(controls, SWT.NONE).setText("Evaluation folder");
    folder = new Text(controls, SWT.BORDER | SWT.SINGLE);
    folder.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    folder.setData(View.WIDGET_ID, "evaluation.compare.folder");
    folder.setMessage("a folder ./vigil eval wrote (summary.csv, images.csv)");
    folder.addListener(SWT.DefaultSelection, event -> add());
    Button browse = new Button(controls, SWT.PUSH);
    browse.setText("Browse…");
    browse.addListener(SWT.Selection, event -> browse(folder, true));
    Button add = new Button(controls, SWT.PUSH);
    add.setText("Add");
    add.setData(View.WIDGET_ID, "evaluation.compare.add");
    add.addListener(SWT.Selection, event -> add());
    Button addRun = new Button(controls, SWT.PUSH);
    addRun.setText("Add this view's run");
    addRun.setData(View.WIDGET_ID, "evaluation.compare.addrun");
    addRun.addListener(SWT.Selection, event -> addRun());
    Button clear = new Button(controls, SWT.PUSH);
    clear.setText("Clear");
    clear.setData(View.WIDGET_ID, "evaluation.compare.clear");
    clear.addListener(SWT.Selection, event -> {
      models.clear();
      refresh();
    });

    new Label(controls, SWT.NONE).setText("Data set (thumbnails)");
    data = new Text(controls, SWT.BORDER | SWT.SINGLE);
    data.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 5, 1));
    data.setData(View.WIDGET_ID, "evaluation.compare.data");
    data.setMessage("optional: the evaluated data set, for the report's gallery");
    new Label(controls, SWT.NONE).setText("Report folder");
    out = new Text(controls, SWT.BORDER | SWT.SINGLE);
    out.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    out.setData(View.WIDGET_ID, "evaluation.compare.out");
    Button browseOut = new Button(controls, SWT.PUSH);
    browseOut.setText("Browse…");
    browseOut.addListener(SWT.Selection, event -> browse(out, false));
    openReport = new Button(controls, SWT.PUSH);
    openReport.setText("Open report");
    openReport.setData(View.WIDGET_ID, "evaluation.compare.report");
    openReport.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false, 3, 1));
    openReport.addListener(SWT.Selection, event -> writeReport());

    status = new Label(root, SWT.WRAP);
    status.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    status.setData(View.WIDGET_ID, "evaluation.compare.status");

    Composite body = new Composite(root, SWT.NONE);
    GridLayout bodyLayout = new GridLayout(1, false);
    bodyLayout.marginWidth = 0;
    body.setLayout(bodyLayout);
    body.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    int[] widths = {130, 105, 105, 75, 70, 150, 150, 125, 95, 130, 80};
    table = new SortableTable(body, "evaluation.compare.table", Comparison.COLUMNS, widths, Comparison.NUMERIC);
    GridData tableData = new GridData(SWT.FILL, SWT.TOP, true, false);
    tableData.heightHint = 130;
    table.table().setLayoutData(tableData);
    rocCanvas = new Canvas(body, SWT.BORDER | SWT.DOUBLE_BUFFERED);
    GridData rocData = new GridData(SWT.FILL, SWT.FILL, true, true);
    rocData.heightHint = 320;
    rocCanvas.setLayoutData(rocData);
    rocCanvas.setData(View.WIDGET_ID, "evaluation.compare.roc");
    rocCanvas.addPaintListener(event -> paintRoc(event.gc, rocCanvas.getClientArea()));
    refresh();
  }

  Composite control() {
    return root;
  }

  private void browse(Text target, boolean addAfter) {
    DirectoryDialog dialog = new DirectoryDialog(root.getShell());
    if (!target.getText().isBlank()) {
      dialog.setFilterPath(target.getText().trim());
    }
    String chosen = dialog.open();
    if (chosen != null) {
      target.setText(chosen);
      if (addAfter) {
        add();
      }
    }
  }

  /** Reads the typed folder on a worker; adds it to the comparison on the UI thread. */
  private void add() {
    String typed = folder.getText().trim();
    ComparisonReports reports = view.comparisonReports();
    if (typed.isEmpty()) {
      status.setText("Type or browse to an evaluation folder first.");
      return;
    }
    if (reports == null) {
      status.setText("Comparing needs the io.vigil.report.compare bundle, which is not running.");
      return;
    }
    Path evaluation = Path.of(typed).toAbsolutePath().normalize();
    status.setText("Reading " + evaluation + "…");
    site.background().execute(() -> {
      try {
        ComparedModel model = reports.read(evaluation);
        site.asyncExec(() -> added(model));
      } catch (Exception e) {
        site.asyncExec(() -> status.setText("Cannot add " + evaluation + ": " + e.getMessage()));
      }
    });
  }

  /** The last evaluation run in the Evaluate tab; small (image scores only): read on the UI thread. */
  private void addRun() {
    EvaluationRun.Outcome run = lastRun.get();
    if (run == null) {
      status.setText("Run an evaluation in the Evaluate tab first.");
      return;
    }
    added(Comparison.fromRun(run));
  }

  private void added(ComparedModel model) {
    models.removeIf(m -> m.directory() != null ? m.directory().equals(model.directory())
        : model.directory() == null && m.name().equals(model.name()));
    models.add(model);
    if (out.getText().isBlank() && model.directory() != null && model.directory().getParent() != null) {
      out.setText(model.directory().getParent().resolve("comparison").toString());
    }
    folder.setText("");
    refresh();
  }

  private void refresh() {
    table.setRows(Comparison.rows(models));
    while (colours.size() < models.size()) {
      int rgb = Comparison.colour(colours.size());
      colours.add(new Color(root.getDisplay(), rgb >> 16, (rgb >> 8) & 0xff, rgb & 0xff));
    }
    openReport.setEnabled(!writing && !models.isEmpty());
    status.setText(models.size() < 2
        ? models.size() + " evaluation(s): add " + (2 - models.size()) + " more to compare"
        : models.size() + " evaluations compared");
    rocCanvas.redraw();
    root.layout(true, true);
  }

  /** Writes the report on a worker, then opens it in the system browser (or says where it is). */
  private void writeReport() {
    ComparisonReports reports = view.comparisonReports();
    if (reports == null || models.isEmpty() || out.getText().isBlank()) {
      status.setText(reports == null ? "Comparing needs the io.vigil.report.compare bundle."
          : "Add evaluations and choose a report folder first.");
      return;
    }
    // Runs made in the view have no folder, and the report is made from folders.
    List<Path> evaluations = models.stream().map(ComparedModel::directory).filter(d -> d != null).toList();
    long leftOut = models.size() - evaluations.size();
    if (evaluations.isEmpty()) {
      status.setText("The report is made from evaluation folders: add one (runs made in this view have none).");
      return;
    }
    Path dataset = data.getText().isBlank() ? null : Path.of(data.getText().trim()).toAbsolutePath().normalize();
    Path target = Path.of(out.getText().trim()).toAbsolutePath().normalize();
    writing = true;
    openReport.setEnabled(false);
    status.setText("Writing the report into " + target + "…");
    site.setStatus("writing the comparison report");
    site.background().execute(() -> {
      try {
        Path report = reports.write(evaluations, dataset, target);
        site.asyncExec(() -> written(report, leftOut));
      } catch (Exception e) {
        site.asyncExec(() -> {
          writing = false;
          openReport.setEnabled(!models.isEmpty());
          status.setText("Writing the report failed: " + e.getMessage());
        });
      }
    });
  }

  private void written(Path report, long leftOut) {
    writing = false;
    openReport.setEnabled(!models.isEmpty());
    boolean opened = view.openReports() && Files.isRegularFile(report) && Program.launch(report.toString());
    String message = (opened ? "Report opened in the browser: " + report
        : "Report written: " + report + (view.openReports() ? " (no browser configured to open it)" : ""))
        + (leftOut > 0 ? "; " + leftOut + " run(s) of this view left out: they have no evaluation folder" : "");
    status.setText(message);
    site.setStatus(message);
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
    if (models.isEmpty()) {
      gc.drawText("Add evaluation folders", plot.x + 20, plot.y + 20, true);
      return;
    }
    int legendY = plot.y + plot.height - 20 * models.size() - 4;
    int legendWidth = 0;
    for (ComparedModel model : models) {
      legendWidth = Math.max(legendWidth, gc.textExtent(Comparison.legend(model)).x + 14);
    }
    int legendX = Math.max(plot.x + 4, plot.x + plot.width - legendWidth - 8);
    for (int m = 0; m < models.size(); m++) {
      ComparedModel model = models.get(m);
      Color colour = colours.get(m);
      List<RocPoint> curve = model.roc();
      int[] polyline = new int[curve.size() * 2];
      for (int i = 0; i < curve.size(); i++) {
        polyline[2 * i] = x(plot, curve.get(i).falsePositiveRate());
        polyline[2 * i + 1] = y(plot, curve.get(i).truePositiveRate());
      }
      gc.setForeground(colour);
      gc.setBackground(colour);
      gc.setLineWidth(2);
      gc.drawPolyline(polyline);
      gc.setLineWidth(1);
      RocPoint zeroMiss = model.zeroMiss();
      if (!Double.isNaN(zeroMiss.falsePositiveRate())) {
        // The zero-miss point: a filled diamond, the report's marker.
        int px = x(plot, zeroMiss.falsePositiveRate());
        int py = y(plot, zeroMiss.truePositiveRate());
        gc.fillPolygon(new int[] {px, py - 6, px + 6, py, px, py + 6, px - 6, py});
      }
      int ly = legendY + 20 * m;
      gc.fillRectangle(legendX, ly + 4, 10, 10);
      gc.drawText(Comparison.legend(model), legendX + 14, ly, true);
    }
  }

  private static int x(Rectangle plot, double rate) {
    return plot.x + (int) Math.round(rate * plot.width);
  }

  private static int y(Rectangle plot, double rate) {
    return plot.y + plot.height - (int) Math.round(rate * plot.height);
  }

  /** Releases the curve colours; the widgets go with the parent. UI thread. */
  void dispose() {
    colours.forEach(Color::dispose);
    colours.clear();
  }
}
