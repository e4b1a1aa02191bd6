package io.vigil.ui.views.station.internal;

import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.Station;
import io.vigil.api.inspection.StationStatus;
import io.vigil.api.source.ImageSource;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import io.vigil.ui.views.station.internal.StationView.DetectorChoice;
import io.vigil.ui.views.station.internal.StationView.SourceChoice;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.swt.SWT;
import org.eclipse.swt.layout.GridData;
import org.eclipse.swt.layout.GridLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Group;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Scale;

/**
 * The station view in one window. Reads and writes of the station's configuration run on the
 * workbench's background threads; the UI thread only moves widgets.
 */
final class StationPart implements ViewPart {
  private static final String ANY = "Any (highest service ranking)";
  private static final int SLIDER_STEPS = 1000;
  private static final int STATUS_MILLIS = 500;
  private static final int THRESHOLD_DEBOUNCE_MILLIS = 200;

  private final ViewSite site;
  private final StationView view;
  private final AtomicBoolean refreshScheduled = new AtomicBoolean();

  // UI thread only from here on.
  private final Composite root;
  private final Combo sourceCombo;
  private final Combo detectorCombo;
  private final Button repeat;
  private final Button apply;
  private final Label applied;
  private final Scale threshold;
  private final Label thresholdValue;
  private final Label thresholdTarget;
  private final Button thresholdReset;
  private final Label status;
  private final Label sinks;
  private List<SourceChoice> sourceChoices = List.of();
  private List<DetectorChoice> detectorChoices = List.of();
  /** The configuration as last read or written. */
  private StationSettings.Values settings = new StationSettings.Values(null, null, false, Double.NaN, "");
  /** The detector the slider is for and its range; null when there is none. */
  private DetectorChoice sliderDetector;
  private double[] sliderRange;
  private boolean thresholdWritePending;
  private boolean disposed;

  StationPart(Composite parent, ViewSite site, StationView view) {
    this.site = site;
    this.view = view;
    root = new Composite(parent, SWT.NONE);
    root.setLayout(new GridLayout(1, false));

    Group selection = group(root, "What the station inspects", 3);
    new Label(selection, SWT.NONE).setText("Image source");
    sourceCombo = combo(selection, "station.source");
    new Label(selection, SWT.NONE);
    new Label(selection, SWT.NONE).setText("Detector");
    detectorCombo = combo(selection, "station.detector");
    detectorCombo.addListener(SWT.Selection, event -> updateSlider());
    new Label(selection, SWT.NONE);
    repeat = new Button(selection, SWT.CHECK);
    repeat.setText("Start a finite source (a data set) over when it ends");
    repeat.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
    repeat.setData(View.WIDGET_ID, "station.repeat");
    apply = new Button(selection, SWT.PUSH);
    apply.setText("Apply");
    apply.setData(View.WIDGET_ID, "station.apply");
    apply.addListener(SWT.Selection, event -> applySelection());
    applied = new Label(selection, SWT.WRAP);
    applied.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 2, 1));
    applied.setData(View.WIDGET_ID, "station.applied");
    applied.setText("A change takes effect on the next frame.");

    Group thresholdGroup = group(root, "Decision threshold", 3);
    threshold = new Scale(thresholdGroup, SWT.HORIZONTAL);
    threshold.setMinimum(0);
    threshold.setMaximum(SLIDER_STEPS);
    threshold.setPageIncrement(SLIDER_STEPS / 20);
    threshold.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false));
    threshold.setData(View.WIDGET_ID, "station.threshold");
    threshold.addListener(SWT.Selection, event -> thresholdMoved());
    thresholdValue = new Label(thresholdGroup, SWT.NONE);
    GridData valueData = new GridData(SWT.LEFT, SWT.CENTER, false, false);
    valueData.widthHint = 260;
    thresholdValue.setLayoutData(valueData);
    thresholdValue.setData(View.WIDGET_ID, "station.threshold.value");
    thresholdReset = new Button(thresholdGroup, SWT.PUSH);
    thresholdReset.setText("Model's threshold");
    thresholdReset.setData(View.WIDGET_ID, "station.threshold.reset");
    thresholdReset.addListener(SWT.Selection, event -> resetThreshold());
    thresholdTarget = new Label(thresholdGroup, SWT.WRAP);
    thresholdTarget.setLayoutData(new GridData(SWT.FILL, SWT.CENTER, true, false, 3, 1));
    thresholdTarget.setData(View.WIDGET_ID, "station.threshold.target");

    Group statusGroup = group(root, "Station", 1);
    statusGroup.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    status = new Label(statusGroup, SWT.WRAP);
    status.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    status.setData(View.WIDGET_ID, "station.status");

    Group sinksGroup = group(root, "Result sinks", 1);
    sinksGroup.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    sinks = new Label(sinksGroup, SWT.WRAP);
    sinks.setLayoutData(new GridData(SWT.FILL, SWT.FILL, true, true));
    sinks.setData(View.WIDGET_ID, "station.sinks");

    fillChoices();
    readSettings();
    site.display().timerExec(STATUS_MILLIS, this::showStatus);
  }

  private static Group group(Composite parent, String title, int columns) {
    Group group = new Group(parent, SWT.NONE);
    group.setText(title);
    group.setLayout(new GridLayout(columns, false));
    group.setLayoutData(new GridData(SWT.FILL, SWT.TOP, true, false));
    return group;
  }

  private static Combo combo(Composite parent, String id) {
    Combo combo = new Combo(parent, SWT.READ_ONLY | SWT.DROP_DOWN);
    GridData data = new GridData(SWT.FILL, SWT.CENTER, true, false);
    data.widthHint = 420;
    combo.setLayoutData(data);
    combo.setData(View.WIDGET_ID, id);
    return combo;
  }

  /** Sources or detectors came or went. Any thread. */
  void servicesChanged() {
    if (refreshScheduled.compareAndSet(false, true)) {
      site.asyncExec(() -> {
        refreshScheduled.set(false);
        fillChoices();
        updateSlider();
      });
    }
  }

  private void fillChoices() {
    String selectedSource = selectedSourceName();
    String selectedDetector = selectedDetectorName();
    sourceChoices = view.sources();
    detectorChoices = view.detectors();
    List<String> sourceItems = new ArrayList<>(List.of(ANY));
    sourceChoices.forEach(choice -> sourceItems.add(choice.name() + "   (" + choice.bundle() + ")"));
    sourceCombo.setItems(sourceItems.toArray(String[]::new));
    List<String> detectorItems = new ArrayList<>(List.of(ANY));
    detectorChoices.forEach(choice -> detectorItems.add(choice.name() + "   (" + choice.algorithm() + ")"));
    detectorCombo.setItems(detectorItems.toArray(String[]::new));
    selectSource(selectedSource);
    selectDetector(selectedDetector);
  }

  private void selectSource(String name) {
    int index = 0;
    for (int i = 0; i < sourceChoices.size(); i++) {
      if (sourceChoices.get(i).name().equals(name)) {
        index = i + 1;
      }
    }
    sourceCombo.select(index);
  }

  private void selectDetector(String name) {
    int index = 0;
    for (int i = 0; i < detectorChoices.size(); i++) {
      if (detectorChoices.get(i).name().equals(name)) {
        index = i + 1;
      }
    }
    detectorCombo.select(index);
  }

  private String selectedSourceName() {
    int index = sourceCombo.getSelectionIndex();
    return index <= 0 || index > sourceChoices.size() ? null : sourceChoices.get(index - 1).name();
  }

  private String selectedDetectorName() {
    int index = detectorCombo.getSelectionIndex();
    return index <= 0 || index > detectorChoices.size() ? null : detectorChoices.get(index - 1).name();
  }

  private void readSettings() {
    site.background().execute(() -> {
      try {
        StationSettings.Values values = StationSettings.read(view.configurationAdmin());
        site.asyncExec(() -> {
          settings = values;
          selectSource(values.sourceName());
          selectDetector(values.detectorName());
          repeat.setSelection(values.repeatFinite());
          updateSlider();
        });
      } catch (Exception e) {
        site.asyncExec(() -> applied.setText("Cannot read the station's configuration: " + e.getMessage()));
      }
    });
  }

  private void applySelection() {
    String source = selectedSourceName();
    String detector = selectedDetectorName();
    boolean repeatFinite = repeat.getSelection();
    applied.setText("Applying…");
    site.background().execute(() -> {
      try {
        StationSettings.update(view.configurationAdmin(), properties -> {
          properties.put(Station.SOURCE_TARGET, StationSettings.filter(ImageSource.NAME_PROPERTY, source));
          properties.put(Station.DETECTOR_TARGET, StationSettings.filter(Detector.NAME_PROPERTY, detector));
          properties.put(Station.REPEAT_FINITE, repeatFinite);
        });
        site.asyncExec(() -> {
          settings = new StationSettings.Values(source, detector, repeatFinite, settings.threshold(),
              settings.thresholdDetector());
          applied.setText("Station set to source " + orAny(source) + " and detector " + orAny(detector)
              + "; it switches on the next frame.");
          updateSlider();
        });
        site.setStatus("source " + orAny(source) + ", detector " + orAny(detector));
      } catch (Exception e) {
        site.asyncExec(() -> applied.setText("Could not configure the station: " + e.getMessage()));
      }
    });
  }

  private static String orAny(String name) {
    return name == null ? "(any)" : "'" + name + "'";
  }

  /** The detector the threshold is for: the chosen one, else the one the station uses now. */
  private DetectorChoice thresholdDetector() {
    String name = selectedDetectorName();
    if (name == null) {
      Station station = view.station();
      name = station == null ? null : station.status().detectorName();
    }
    for (DetectorChoice choice : detectorChoices) {
      if (choice.name().equals(name)) {
        return choice;
      }
    }
    return null;
  }

  /** Points the slider at the current detector and the threshold in force for it. */
  private void updateSlider() {
    if (thresholdWritePending) {
      return;
    }
    DetectorChoice detector = thresholdDetector();
    sliderDetector = detector;
    boolean enabled = detector != null;
    threshold.setEnabled(enabled);
    thresholdReset.setEnabled(enabled);
    if (!enabled) {
      sliderRange = null;
      thresholdValue.setText("no detector");
      thresholdTarget.setText("Choose a detector (or let the station bind one) to move its threshold.");
      return;
    }
    Calibration calibration = detector.calibration();
    double current = overrideFor(detector.name());
    boolean overridden = !Double.isNaN(current);
    if (!overridden) {
      current = calibration.threshold();
    }
    double[] range = StationSettings.sliderRange(calibration);
    sliderRange = new double[] {Math.min(range[0], current), Math.max(range[1], current)};
    threshold.setSelection(toSlider(current));
    showThreshold(current, overridden);
    thresholdTarget.setText(String.format(Locale.ROOT,
        "For detector '%s': the model's calibrated threshold is %.4g. Parts scoring at or above the threshold are NOK.",
        detector.name(), calibration.threshold()));
  }

  private double overrideFor(String detector) {
    boolean applies = settings.thresholdDetector().isEmpty() || settings.thresholdDetector().equals(detector);
    return applies ? settings.threshold() : Double.NaN;
  }

  private int toSlider(double raw) {
    double position = (raw - sliderRange[0]) / (sliderRange[1] - sliderRange[0]);
    return (int) Math.round(Math.max(0, Math.min(1, position)) * SLIDER_STEPS);
  }

  private double fromSlider(int value) {
    return sliderRange[0] + (sliderRange[1] - sliderRange[0]) * value / SLIDER_STEPS;
  }

  private void showThreshold(double raw, boolean overridden) {
    Calibration calibration = sliderDetector.calibration();
    thresholdValue.setText(String.format(Locale.ROOT, "%.4g raw, %.2f normalised%s", raw, calibration.normalize(raw),
        overridden ? "" : " (model's)"));
  }

  private void thresholdMoved() {
    if (sliderDetector == null || sliderRange == null) {
      return;
    }
    showThreshold(fromSlider(threshold.getSelection()), true);
    if (!thresholdWritePending) {
      thresholdWritePending = true;
      // Write once the slider rests a moment: one configuration update per gesture, not per pixel.
      site.display().timerExec(THRESHOLD_DEBOUNCE_MILLIS, this::writeThreshold);
    }
  }

  private void writeThreshold() {
    thresholdWritePending = false;
    if (disposed || sliderDetector == null) {
      return;
    }
    double raw = fromSlider(threshold.getSelection());
    String detector = sliderDetector.name();
    settings = new StationSettings.Values(settings.sourceName(), settings.detectorName(), settings.repeatFinite(),
        raw, detector);
    site.background().execute(() -> {
      try {
        StationSettings.update(view.configurationAdmin(), properties -> {
          properties.put(Station.THRESHOLD, raw);
          properties.put(Station.THRESHOLD_DETECTOR, detector);
        });
        site.setStatus(String.format(Locale.ROOT, "threshold %.4g for detector '%s'", raw, detector));
      } catch (Exception e) {
        site.asyncExec(() -> thresholdTarget.setText("Could not set the threshold: " + e.getMessage()));
      }
    });
  }

  private void resetThreshold() {
    settings = new StationSettings.Values(settings.sourceName(), settings.detectorName(), settings.repeatFinite(),
        Double.NaN, "");
    updateSlider();
    site.background().execute(() -> {
      try {
        StationSettings.update(view.configurationAdmin(), properties -> {
          properties.remove(Station.THRESHOLD);
          properties.remove(Station.THRESHOLD_DETECTOR);
        });
        site.setStatus("the model's own threshold again");
      } catch (Exception e) {
        site.asyncExec(() -> thresholdTarget.setText("Could not reset the threshold: " + e.getMessage()));
      }
    });
  }

  private void showStatus() {
    if (disposed || status.isDisposed()) {
      return;
    }
    Station station = view.station();
    if (station == null) {
      status.setText("No inspection station is running.");
    } else {
      StationStatus now = station.status();
      status.setText(String.format(Locale.ROOT,
          "State %s%nSource %s%nDetector %s%n%d results, %d errors, %.1f frames/s",
          now.state(), orDash(now.sourceName()), orDash(now.detectorName()), now.results(), now.errors(),
          now.framesPerSecond()));
      sinks.setText(sinkLines(station.sinks()));
      if (selectedDetectorName() == null && sliderDetector != null
          && !sliderDetector.name().equals(now.detectorName())) {
        updateSlider(); // "any": the slider follows the detector the station bound
      } else if (selectedDetectorName() == null && sliderDetector == null && now.detectorName() != null) {
        updateSlider();
      }
    }
    status.getParent().layout(true);
    sinks.getParent().layout(true);
    site.display().timerExec(STATUS_MILLIS, this::showStatus);
  }

  /** One line per sink: where its results go and how far it has got. */
  static String sinkLines(java.util.List<io.vigil.api.inspection.SinkStatus> statuses) {
    if (statuses.isEmpty()) {
      return "No result sinks: results go to this client only.";
    }
    StringBuilder text = new StringBuilder();
    for (io.vigil.api.inspection.SinkStatus sink : statuses) {
      text.append(String.format(Locale.ROOT, "%s: %s; %d queued, %d delivered, %d failed, %d dropped%n",
          sink.name(), sink.state(), sink.queued(), sink.delivered(), sink.failed(), sink.dropped()));
    }
    return text.toString().stripTrailing();
  }

  private static String orDash(String value) {
    return value == null ? "—" : value;
  }

  @Override
  public void dispose() {
    disposed = true;
    view.partDisposed(this);
  }
}
