package io.vigil.ui.views.evaluation.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.metric.Metric;
import io.vigil.api.source.DatasetFormat;
import io.vigil.report.compare.api.ComparisonReports;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.swt.widgets.Composite;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The evaluation view: scores a labelled split with a registered detector, computes every
 * registered metric, and shows the metrics, the ROC curve at the chosen threshold, per-defect bars
 * and the worst false positives and negatives; its compare mode shows evaluation folders side by side
 * and writes the HTML comparison report.
 */
@Component(
    service = View.class,
    configurationPid = "io.vigil.ui.views.evaluation",
    property = {
      View.ID_PROPERTY + "=evaluation",
      View.TITLE_PROPERTY + "=Evaluation",
      View.ORDER_PROPERTY + ":Integer=40"
    })
@Designate(ocd = EvaluationView.Configuration.class)
public class EvaluationView implements View {
  @ObjectClassDefinition(name = "Vigil evaluation view",
      description = "The station client's evaluation view (evaluate, and compare evaluation folders).")
  @interface Configuration {
    @AttributeDefinition(name = "Open reports", description = "Open the comparison report in the system browser "
        + "once written (false: only say where it is, e.g. on a headless station or in tests).")
    boolean open_reports() default true;
  }

  private volatile boolean openReports = true;
  /** The comparison report service (io.vigil.report.compare), when it runs. */
  private volatile ComparisonReports comparisonReports;
  private final Map<Detector, String> detectors = new ConcurrentHashMap<>();
  private final Map<Metric, String> metrics = new ConcurrentHashMap<>();
  private final Map<DatasetFormat, Integer> formats = new ConcurrentHashMap<>();
  private final List<EvaluationPart> parts = new CopyOnWriteArrayList<>();

  /** Framework property that turns opening off for the whole framework (the UI tests set it). */
  static final String OPEN_REPORTS_PROPERTY = "vigil.ui.open.reports";

  @Activate
  @Modified
  void configure(Configuration configuration, BundleContext context) {
    openReports = configuration.open_reports() && !"false".equals(context.getProperty(OPEN_REPORTS_PROPERTY));
  }

  boolean openReports() {
    return openReports;
  }

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
      policyOption = ReferencePolicyOption.GREEDY)
  void setComparisonReports(ComparisonReports reports) {
    comparisonReports = reports;
  }

  void unsetComparisonReports(ComparisonReports reports) {
    if (comparisonReports == reports) {
      comparisonReports = null;
    }
  }

  ComparisonReports comparisonReports() {
    return comparisonReports;
  }

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    EvaluationPart part = new EvaluationPart(parent, site, this);
    parts.add(part);
    return part;
  }

  void partDisposed(EvaluationPart part) {
    parts.remove(part);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addDetector(Detector detector) {
    detectors.put(detector, detector.name());
    parts.forEach(EvaluationPart::detectorsChanged);
  }

  void removeDetector(Detector detector) {
    detectors.remove(detector);
    parts.forEach(EvaluationPart::detectorsChanged);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addMetric(Metric metric, Map<String, Object> properties) {
    Object name = properties.get(Metric.NAME_PROPERTY);
    metrics.put(metric, name != null ? name.toString() : metric.name());
  }

  void removeMetric(Metric metric) {
    metrics.remove(metric);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addFormat(DatasetFormat format, Map<String, Object> properties) {
    Object ranking = properties.get(Constants.SERVICE_RANKING);
    formats.put(format, ranking instanceof Integer value ? value : 0);
  }

  void removeFormat(DatasetFormat format) {
    formats.remove(format);
  }

  List<String> detectorNames() {
    return detectors.values().stream().distinct().sorted().toList();
  }

  Detector detector(String name) {
    return detectors.entrySet().stream().filter(e -> e.getValue().equals(name)).map(Map.Entry::getKey).findFirst()
        .orElse(null);
  }

  /** The registered metrics by name, sorted. */
  Map<String, Metric> metricsByName() {
    Map<String, Metric> byName = new TreeMap<>();
    metrics.forEach((metric, name) -> byName.putIfAbsent(name, metric));
    return byName;
  }

  List<DatasetFormat> formatsByRanking() {
    List<Map.Entry<DatasetFormat, Integer>> entries = new ArrayList<>(formats.entrySet());
    entries.sort(Map.Entry.<DatasetFormat, Integer>comparingByValue(Comparator.reverseOrder()));
    return entries.stream().map(Map.Entry::getKey).toList();
  }
}
