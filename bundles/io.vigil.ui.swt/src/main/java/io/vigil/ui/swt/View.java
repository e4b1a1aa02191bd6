package io.vigil.ui.swt;

import org.eclipse.swt.widgets.Composite;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A view of the workbench, registered as a service by any bundle with {@link #ID_PROPERTY},
 * {@link #TITLE_PROPERTY} and optionally {@link #ORDER_PROPERTY}. The workbench shows one tab per
 * registered view, in order, and removes the tab when the service goes (its bundle stopped).
 *
 * <p>Threading: {@link #createPart} is called on the UI thread. The workbench disposes a part on
 * the UI thread too, synchronously when the view's service goes away; so UI-thread code never
 * waits for the framework (installing or stopping bundles, updating configurations) nor does
 * scoring or file work: hand that to {@link ViewSite#background()}.
 */
@ConsumerType
public interface View {
  /** Service property: the view's stable id, e.g. "live"; used to select it. */
  String ID_PROPERTY = "vigil.view.id";
  /** Service property: the tab title shown to the operator. */
  String TITLE_PROPERTY = "vigil.view.title";
  /** Service property (Integer): tabs are sorted by it, lowest first, then by title. */
  String ORDER_PROPERTY = "vigil.view.order";
  /** The order of a view without {@link #ORDER_PROPERTY}. */
  int DEFAULT_ORDER = 1000;
  /**
   * {@code Widget.setData} key under which views tag the widgets an operator works with ("start",
   * "threshold", ...), so tests and tools can find and drive them.
   */
  String WIDGET_ID = "vigil.widget.id";

  /**
   * Builds the view's widgets inside {@code parent} (which has a {@code FillLayout}) and returns the
   * part that owns them. Called on the UI thread, once per window the view is shown in.
   */
  ViewPart createPart(Composite parent, ViewSite site);
}
