package io.vigil.ui.views.training.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.source.DatasetFormat;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.swt.widgets.Composite;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The training view: trains a model with any registered detector factory on a data set folder
 * read by any registered format. A model whose factory does not register it as a service is
 * registered here, so it is selectable in the station at once.
 */
@Component(
    service = View.class,
    property = {
      View.ID_PROPERTY + "=training",
      View.TITLE_PROPERTY + "=Training",
      View.ORDER_PROPERTY + ":Integer=30"
    })
public class TrainingView implements View {
  private final BundleContext context;
  private final Map<DetectorFactory, String> factories = new ConcurrentHashMap<>();
  private final Map<DatasetFormat, Integer> formats = new ConcurrentHashMap<>();
  private final List<TrainingPart> parts = new CopyOnWriteArrayList<>();
  private final List<ServiceRegistration<Detector>> trained = new CopyOnWriteArrayList<>();

  @Activate
  public TrainingView(BundleContext context) {
    this.context = context;
  }

  @Deactivate
  void deactivate() {
    for (ServiceRegistration<Detector> registration : trained) {
      try {
        registration.unregister();
      } catch (IllegalStateException e) {
        // Already gone with the framework.
      }
    }
    trained.clear();
  }

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    TrainingPart part = new TrainingPart(parent, site, this);
    parts.add(part);
    return part;
  }

  void partDisposed(TrainingPart part) {
    parts.remove(part);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addFactory(DetectorFactory factory, Map<String, Object> properties) {
    Object algorithm = properties.get(Detector.ALGORITHM_PROPERTY);
    factories.put(factory, algorithm != null ? algorithm.toString() : factory.algorithm());
    parts.forEach(TrainingPart::factoriesChanged);
  }

  void removeFactory(DetectorFactory factory) {
    factories.remove(factory);
    parts.forEach(TrainingPart::factoriesChanged);
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addFormat(DatasetFormat format, Map<String, Object> properties) {
    Object ranking = properties.get(Constants.SERVICE_RANKING);
    formats.put(format, ranking instanceof Integer value ? value : 0);
  }

  void removeFormat(DatasetFormat format) {
    formats.remove(format);
  }

  /** The algorithms that can train now, sorted. */
  List<String> algorithms() {
    return factories.values().stream().distinct().sorted().toList();
  }

  DetectorFactory factory(String algorithm) {
    return factories.entrySet().stream().filter(e -> e.getValue().equals(algorithm)).map(Map.Entry::getKey)
        .findFirst().orElse(null);
  }

  /** The formats, most specific (highest ranking) first. */
  List<DatasetFormat> formatsByRanking() {
    List<Map.Entry<DatasetFormat, Integer>> entries = new ArrayList<>(formats.entrySet());
    entries.sort(Map.Entry.<DatasetFormat, Integer>comparingByValue(Comparator.reverseOrder()));
    return entries.stream().map(Map.Entry::getKey).toList();
  }

  /**
   * Makes a freshly trained detector selectable: registers it unless a detector of that name is
   * registered already (the factory did it).
   *
   * @return true when this view registered it
   */
  boolean ensureRegistered(Detector detector) {
    try {
      String filter = "(" + Detector.NAME_PROPERTY + "=" + escape(detector.name()) + ")";
      if (!context.getServiceReferences(Detector.class, filter).isEmpty()) {
        return false;
      }
    } catch (InvalidSyntaxException e) {
      throw new IllegalArgumentException(e);
    }
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Detector.NAME_PROPERTY, detector.name());
    properties.put(Detector.ALGORITHM_PROPERTY, detector.algorithm());
    trained.add(context.registerService(Detector.class, detector, properties));
    return true;
  }

  static String escape(String value) {
    StringBuilder escaped = new StringBuilder();
    for (char c : value.toCharArray()) {
      if (c == '\\' || c == '(' || c == ')' || c == '*') {
        escaped.append('\\');
      }
      escaped.append(c);
    }
    return escaped.toString();
  }
}
