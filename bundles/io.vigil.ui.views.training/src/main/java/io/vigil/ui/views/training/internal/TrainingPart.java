package io.vigil.ui.views.training.internal;

import io.vigil.image.RecognizedDataset;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingProgress;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.ProgressBar;
import org.eclipse.swt.widgets.Spinner;
import org.eclipse.swt.widgets.Text;

/**
 * The training view in one window: the form, the run's progress, and its outcome. Recognising the
 * data set and training run off the UI thread.
 */
final class TrainingPart implements ViewPart {
  private static final int BAR_STEPS = 1000;

  private final ViewSite site;
  private final TrainingView view;
  private final AtomicReference<TrainingProgress> latestProgress = new AtomicReference<>();
  private final AtomicBoolean progressScheduled = new AtomicBoolean();

  // UI thread only from here on.
  private final Composite root;
  private final Text dataset;
  private final Combo split;
  private final Label datasetInfo;
  private final Combo algorithm;
  private final Text name;
  private final Spinner epochs;
  private final Spinner inputSize;
  private final Text weights;
  private final Text output;
  private final Button start;
  private final Button cancel;
  private final ProgressBar bar;
  private final Label progressText;
  private final Label outcome;
  private RecognizedDataset recognized;
  private boolean nameEdited;
  private boolean settingName;
  private TrainingJob job;
  private boolean disposed;

  TrainingPart(Composite parent, ViewSite site, TrainingView view) {
    this.site = site;
    this.view = view;
    root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(1, false));

    Group data = group("Good images to learn from", 3);
    new Label(data, SWT.NONE).setText("Data set folder");
    dataset = text(data, "training.data", "");
    Button browse = new Button(data, SWT.PUSH);
    browse.setText("Browse…");
    browse.addListener(SWT.Selection, event -> browse());
    new Label(data, SWT.NONE).setText("Split");
    split = new Combo(data, SWT.READ_ONLY | SWT.DROP_DOWN);
    split.setData(View.WIDGET_ID, "training.split");
    split.setLayoutData(new GridData(SWT.LEFT, SWT.CENTER, false, false));
    datasetInfo = new Label(data, SWT.WRAP);
    datasetInfo.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    datasetInfo.setData(View.WIDGET_ID, "training.data.info");
    datasetInfo.setText("An MVTec-layout category (train/good) or a folder of good images.");
    dataset.addListener(SWT.DefaultSelection, event -> recognize());
    dataset.addListener(SWT.FocusOut, event -> recognize());

    Group model = group("Detector", 4);
    new Label(model, SWT.NONE).setText("Type");
    algorithm = new Combo(model, SWT.READ_ONLY | SWT.DROP_DOWN);
    algorithm.setData(View.WIDGET_ID, "training.algorithm");
    algorithm.addListener(SWT.Selection, event -> suggestName());
    new Label(model, SWT.NONE).setText("Model name");
    name = text(model, "training.name", "");
    name.addListener(SWT.Modify, event -> nameEdited |= !settingName);
    new Label(model, SWT.NONE).setText("Epochs");
    epochs = spinner(model, "training.epochs", 1, 500, 8, 1);
    new Label(model, SWT.NONE).setText("Input size (px)");
    inputSize = spinner(model, "training.input.size", 32, 1024, 256, 32);
    new Label(model, SWT.NONE).setText("Backbone weights folder");
    weights = text(model, "training.models", "");
    weights.setMessage("default lookup (VIGIL_MODEL_PATH, ~/.vigil/models)");
    ((GridData) weights.getLayoutData()).horizontalSpan = 3;

    Group out = group("Output", 2);
    new Label(out, SWT.NONE).setText("Models folder");
    output = text(out, "training.output", Path.of(System.getProperty("user.dir"), "models").toString());

    Composite actions = new Composite(root, SWT.NONE);
    actions.setLayout(new GridLayout(4, false));
    actions.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    start = new Button(actions, SWT.PUSH);
    start.setText("Start training");
    start.setData(View.WIDGET_ID, "training.start");
    start.addListener(SWT.Selection, event -> start());
    cancel = new Button(actions, SWT.PUSH);
    cancel.setText("Cancel");
    cancel.setEnabled(false);
    cancel.setData(View.WIDGET_ID, "training.cancel");
    cancel.addListener(SWT.Selection, event -> cancelJob());
    bar = new ProgressBar(actions, SWT.HORIZONTAL | SWT.SMOOTH);
    bar.setMaximum(BAR_STEPS);
    bar.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    bar.setData(View.WIDGET_ID, "training.progress");
    progressText = new Label(actions, SWT.NONE);
    GridData progressData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
    progressData.widthHint = 420;
    progressText.setLayoutData(progressData);
    progressText.setData(View.WIDGET_ID, "training.progress.text");

    outcome = new Label(root, SWT.WRAP);
    outcome.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    outcome.setData(View.WIDGET_ID, "training.outcome");

    fillAlgorithms();
  }

  private Group group(String title, int columns) {
    Group group = new Group(root, SWT.NONE);
    group.setText(title);
    group.setLayout(new GridLayout(columns, false));
    group.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    return group;
  }

  private static Text text(Composite parent, String id, String value) {
    Text text = new Text(parent, SWT.BORDER | SWT.SINGLE);
    text.setText(value);
    text.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    text.setData(View.WIDGET_ID, id);
    return text;
  }

  private static Spinner spinner(Composite parent, String id, int min, int max, int value, int step) {
    Spinner spinner = new Spinner(parent, SWT.BORDER);
    spinner.setValues(value, min, max, 0, step, step * 4);
    spinner.setData(View.WIDGET_ID, id);
    return spinner;
  }

  /** Factories came or went. Any thread. */
  void factoriesChanged() {
    site.asyncExec(this::fillAlgorithms);
  }

  private void fillAlgorithms() {
    String selected = algorithm.getText();
    List<String> algorithms = view.algorithms();
    algorithm.setItems(algorithms.toArray(String[]::new));
    int index = algorithms.indexOf(selected);
    if (index < 0) {
      index = algorithms.indexOf("simplenet");
    }
    if (index < 0 && !algorithms.isEmpty()) {
      index = 0;
    }
    if (index >= 0) {
      algorithm.select(index);
    }
    start.setEnabled(job == null && !algorithms.isEmpty());
    if (algorithms.isEmpty()) {
      outcome.setText("No detector factory is installed: install a detector bundle (e.g. SimpleNet) to train.");
    }
    suggestName();
  }

  private void browse() {
    DirectoryDialog dialog = new DirectoryDialog(root.getShell());
    dialog.setText("Data set folder");
    dialog.setFilterPath(dataset.getText());
    String chosen = dialog.open();
    if (chosen != null) {
      dataset.setText(chosen);
      recognize();
    }
  }

  /** Finds the format and splits of the folder in the text field, off the UI thread. */
  private void recognize() {
    String text = dataset.getText().trim();
    if (text.isEmpty() || (recognized != null && recognized.root().toString().equals(text))) {
      return;
    }
    Path root = Path.of(text).toAbsolutePath().normalize();
    datasetInfo.setText("Looking at " + root + "…");
    var formats = view.formatsByRanking();
    site.background().execute(() -> {
      try {
        RecognizedDataset found = RecognizedDataset.recognize(formats, root);
        site.asyncExec(() -> showRecognized(found));
      } catch (Exception e) {
        site.asyncExec(() -> {
          recognized = null;
          split.removeAll();
          datasetInfo.setText(e.getMessage());
        });
      }
    });
  }

  private void showRecognized(RecognizedDataset found) {
    recognized = found;
    split.setItems(found.splits().toArray(String[]::new));
    String preferred = found.split("train");
    if (preferred != null) {
      split.select(found.splits().indexOf(preferred));
    }
    datasetInfo.setText(found.format().name() + " data set, splits " + String.join(", ", found.splits()));
    suggestName();
    root.layout(true, true);
  }

  private void suggestName() {
    if (nameEdited || algorithm.getText().isEmpty()) {
      return;
    }
    String base = recognized == null ? "model" : String.valueOf(recognized.root().getFileName());
    settingName = true;
    name.setText(base + "-" + algorithm.getText());
    settingName = false;
  }

  private void start() {
    if (recognized == null || !recognized.root().toString().equals(Path.of(dataset.getText().trim())
        .toAbsolutePath().normalize().toString())) {
      outcome.setText("Choose a data set folder first (Browse…, or type it and press Enter).");
      recognize();
      return;
    }
    String algorithmName = algorithm.getText();
    DetectorFactory factory = view.factory(algorithmName);
    String modelName = name.getText().trim();
    if (factory == null) {
      outcome.setText("No detector factory for '" + algorithmName + "' is installed any more.");
      return;
    }
    if (modelName.isEmpty() || !modelName.matches("[A-Za-z0-9._-]+")) {
      outcome.setText("The model name may use letters, digits, '.', '_' and '-' only.");
      return;
    }
    Map<String, Object> parameters = new HashMap<>();
    parameters.put("name", modelName);
    parameters.put("epochs", epochs.getSelection());
    parameters.put("input.size", inputSize.getSelection());
    if (!weights.getText().isBlank()) {
      parameters.put("models", weights.getText().trim());
    }
    Path modelDirectory = Path.of(output.getText().trim()).toAbsolutePath().normalize().resolve(modelName);
    TrainingJob.Request request = new TrainingJob.Request(factory, recognized.format(), recognized.root(),
        split.getText(), Map.copyOf(parameters), modelDirectory);
    job = new TrainingJob(request, new Listener(modelName));
    start.setEnabled(false);
    cancel.setEnabled(true);
    bar.setSelection(0);
    progressText.setText("starting…");
    outcome.setText("Training '" + modelName + "' (" + algorithmName + ") on " + recognized.root() + " / "
        + split.getText() + " into " + modelDirectory);
    site.setStatus("training " + modelName);
    job.start(modelName);
  }

  private void cancelJob() {
    if (job != null) {
      job.cancel();
      cancel.setEnabled(false);
      progressText.setText("cancelling…");
    }
  }

  private void showProgress() {
    progressScheduled.set(false);
    TrainingProgress progress = latestProgress.get();
    if (disposed || progress == null || bar.isDisposed() || job == null) {
      return;
    }
    bar.setSelection((int) Math.round(progress.fraction() * BAR_STEPS));
    progressText.setText(describe(progress));
  }

  static String describe(TrainingProgress progress) {
    StringBuilder text = new StringBuilder();
    text.append(progress.phase()).append(' ').append(progress.step()).append('/').append(progress.totalSteps());
    if (!Double.isNaN(progress.loss())) {
      text.append(String.format(Locale.ROOT, " · loss %.4f", progress.loss()));
    }
    text.append(" · ").append(format(progress.elapsed())).append(" elapsed");
    progress.optionalRemaining().ifPresent(remaining -> text.append(" · about ").append(format(remaining))
        .append(" left"));
    return text.toString();
  }

  static String format(Duration duration) {
    long seconds = Math.max(0, duration.toSeconds());
    return seconds < 60 ? seconds + " s" : String.format(Locale.ROOT, "%d min %02d s", seconds / 60, seconds % 60);
  }

  private void finish(String message) {
    job = null;
    start.setEnabled(!view.algorithms().isEmpty());
    cancel.setEnabled(false);
    outcome.setText(message);
    root.layout(true, true);
  }

  /** The run's callbacks, on the training thread: each hops to the UI thread. */
  private final class Listener implements TrainingJob.Listener {
    private final String modelName;

    Listener(String modelName) {
      this.modelName = modelName;
    }

    @Override
    public void progress(TrainingProgress progress) {
      latestProgress.set(progress);
      if (progressScheduled.compareAndSet(false, true)) {
        site.asyncExec(TrainingPart.this::showProgress);
      }
    }

    @Override
    public void finished(Detector detector, Duration elapsed) {
      boolean registeredHere = view.ensureRegistered(detector);
      site.setStatus("model " + detector.name() + " trained");
      site.asyncExec(() -> {
        bar.setSelection(BAR_STEPS);
        finish(String.format(Locale.ROOT,
            "Model '%s' (%s) trained in %s; threshold %.4g. It is selectable in the Station view now%s.",
            detector.name(), detector.algorithm(), format(elapsed), detector.calibration().threshold(),
            registeredHere ? " (registered by this view until it stops)" : ""));
      });
    }

    @Override
    public void cancelled() {
      site.asyncExec(() -> {
        bar.setSelection(0);
        progressText.setText("cancelled");
        finish("Training of '" + modelName + "' was cancelled; no model was written.");
      });
    }

    @Override
    public void failed(Exception error) {
      site.asyncExec(() -> {
        progressText.setText("failed");
        finish("Training of '" + modelName + "' failed: " + describeError(error));
      });
    }
  }

  static String describeError(Throwable error) {
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
    view.partDisposed(this);
    if (job != null) {
      // The run ends at its next step; it must not outlive the window with nobody to see it.
      job.cancel();
    }
  }
}
