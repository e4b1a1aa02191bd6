package io.vigil.ui.views.annotate.internal;

import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import org.eclipse.swt.widgets.Composite;
import org.osgi.service.component.annotations.Component;

/** The annotate view: draws the defect masks of a data set's test images. Needs no service. */
@Component(
    service = View.class,
    property = {
      View.ID_PROPERTY + "=annotate",
      View.TITLE_PROPERTY + "=Annotate",
      View.ORDER_PROPERTY + ":Integer=45"
    })
public class AnnotateView implements View {
  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    return new AnnotatePart(parent, site);
  }
}
