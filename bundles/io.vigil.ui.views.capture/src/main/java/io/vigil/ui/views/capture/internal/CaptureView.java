package io.vigil.ui.views.capture.internal;

import io.vigil.api.source.ImageSource;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.swt.widgets.Composite;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** The capture view: live preview of a registered image source, the current frame saved into a data set. */
@Component(
    service = View.class,
    property = {
      View.ID_PROPERTY + "=capture",
      View.TITLE_PROPERTY + "=Capture",
      View.ORDER_PROPERTY + ":Integer=42"
    })
public class CaptureView implements View {
  /** The registered sources with their service properties (their settings go into capture.csv). */
  private final Map<ServiceReference<ImageSource>, ImageSource> sources = new ConcurrentHashMap<>();
  private final List<CapturePart> parts = new CopyOnWriteArrayList<>();

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    CapturePart part = new CapturePart(parent, site, this, parts::remove);
    parts.add(part);
    return part;
  }

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  void addSource(ServiceReference<ImageSource> reference, ImageSource source) {
    if (reference.getProperty(ImageSource.NAME_PROPERTY) != null) {
      sources.put(reference, source);
      parts.forEach(CapturePart::sourcesChanged);
    }
  }

  void removeSource(ServiceReference<ImageSource> reference) {
    if (sources.remove(reference) != null) {
      parts.forEach(CapturePart::sourcesChanged);
    }
  }

  /** The sources registered now, by name. */
  Map<ServiceReference<ImageSource>, ImageSource> sources() {
    return Map.copyOf(sources);
  }
}
