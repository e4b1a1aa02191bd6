package io.vigil.ui.views.live.internal;

import io.vigil.api.inspection.InspectionEvents;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.eclipse.swt.widgets.Composite;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The live inspection view. It listens to the station's results on Event Admin; while a window
 * shows the view it renders each result on Event Admin's thread and hands it to the open parts,
 * which only turn pixels into images and draw, on the UI thread. The last few results are kept
 * (unrendered, so a headless station pays nothing) for the strip of a window opened later.
 */
@Component(
    service = {View.class, EventHandler.class},
    property = {
      View.ID_PROPERTY + "=live",
      View.TITLE_PROPERTY + "=Live inspection",
      View.ORDER_PROPERTY + ":Integer=10",
      EventConstants.EVENT_TOPIC + "=" + InspectionEvents.RESULT_TOPIC
    })
public class LiveView implements View, EventHandler {
  static final int STRIP_LENGTH = 12;

  private final ResultRenderer renderer = new ResultRenderer();
  private final List<LivePart> parts = new CopyOnWriteArrayList<>();
  /** Guarded by itself: the latest results, oldest first. */
  private final Deque<Received> recent = new ArrayDeque<>();

  /** A result as it came, with the threshold its decision was taken at. */
  private record Received(InspectionResult result, double threshold) {}

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    LivePart part = new LivePart(parent, site, parts::remove);
    List<Received> history;
    synchronized (recent) {
      history = List.copyOf(recent);
      parts.add(part);
    }
    site.background().execute(() -> {
      for (Received received : history) {
        part.replay(renderer.render(received.result(), received.threshold()));
      }
    });
    return part;
  }

  @Override
  public void handleEvent(Event event) {
    if (!(event.getProperty(InspectionEvents.RESULT) instanceof InspectionResult result)) {
      return;
    }
    double threshold = event.getProperty(InspectionEvents.THRESHOLD) instanceof Number number
        ? number.doubleValue()
        : Double.NaN;
    synchronized (recent) {
      recent.addLast(new Received(result, threshold));
      if (recent.size() > STRIP_LENGTH) {
        recent.removeFirst();
      }
    }
    if (parts.isEmpty()) {
      return;
    }
    RenderedResult rendered = renderer.render(result, threshold);
    for (LivePart part : parts) {
      part.show(rendered);
    }
  }
}
