package io.vigil.ui.views.station.internal;

import io.vigil.api.detector.Calibration;
import io.vigil.api.detector.Detector;
import io.vigil.api.inspection.Station;
import io.vigil.api.source.ImageSource;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.swt.widgets.Composite;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The station view: which source and detector the station uses (chosen among the services
 * registered now), the decision threshold, and the loop's state. Choices are written to the
 * station's configuration, so they take effect on the next frame and survive a restart.
 */
@Component(
    service = View.class,
    property = {
      View.ID_PROPERTY + "=station",
      View.TITLE_PROPERTY + "=Station",
      View.ORDER_PROPERTY + ":Integer=20"
    })
public class StationView implements View {
  private final Map<ServiceReference<ImageSource>, SourceChoice> sources = new ConcurrentHashMap<>();
  private final Map<Detector, DetectorChoice> detectors = new ConcurrentHashMap<>();
  private final List<StationPart> parts = new CopyOnWriteArrayList<>();

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile Station station;

  @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
  private volatile ConfigurationAdmin configurationAdmin;

  /** A registered source as the combo shows it. */
  record SourceChoice(String name, String bundle) {}

  /** A registered detector as the combo shows it, with what the threshold slider needs. */
  record DetectorChoice(String name, String algorithm, Calibration calibration) {}

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    StationPart part = new StationPart(parent, site, this);
    parts.add(part);
    return part;
  }

  void partDisposed(StationPart part) {
    parts.remove(part);
  }

  @Reference(
      service = ImageSource.class,
      cardinality = ReferenceCardinality.MULTIPLE,
      policy = ReferencePolicy.DYNAMIC)
  void addSource(ServiceReference<ImageSource> reference) {
    Object name = reference.getProperty(ImageSource.NAME_PROPERTY);
    if (name != null) {
      sources.put(reference, new SourceChoice(name.toString(), reference.getBundle().getSymbolicName()));
      changed();
    }
  }

  void removeSource(ServiceReference<ImageSource> reference) {
    if (sources.remove(reference) != null) {
      changed();
    }
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addDetector(Detector detector) {
    detectors.put(detector, new DetectorChoice(detector.name(), detector.algorithm(), detector.calibration()));
    changed();
  }

  void removeDetector(Detector detector) {
    if (detectors.remove(detector) != null) {
      changed();
    }
  }

  List<SourceChoice> sources() {
    return sources.values().stream().distinct().sorted(Comparator.comparing(SourceChoice::name)).toList();
  }

  List<DetectorChoice> detectors() {
    return detectors.values().stream().distinct().sorted(Comparator.comparing(DetectorChoice::name)).toList();
  }

  Station station() {
    return station;
  }

  ConfigurationAdmin configurationAdmin() {
    return configurationAdmin;
  }

  private void changed() {
    for (StationPart part : parts) {
      part.servicesChanged();
    }
  }
}
