package io.vigil.ui.views.bundles.internal;

import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import org.eclipse.swt.widgets.Composite;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * The bundles view: what is installed and registered now, and the actions an integrator hot-swaps
 * with: install a bundle file, start, stop, update, uninstall.
 */
@Component(
    service = View.class,
    property = {
      View.ID_PROPERTY + "=bundles",
      View.TITLE_PROPERTY + "=Bundles",
      View.ORDER_PROPERTY + ":Integer=50"
    })
public class BundlesView implements View {
  private final BundleContext context;

  @Activate
  public BundlesView(BundleContext context) {
    this.context = context;
  }

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    return new BundlesPart(parent, site, context);
  }
}
