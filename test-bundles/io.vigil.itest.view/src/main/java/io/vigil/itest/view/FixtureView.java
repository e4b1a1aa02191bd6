package io.vigil.itest.view;

import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import io.vigil.ui.swt.ViewSite;
import org.eclipse.swt.SWT;
import org.eclipse.swt.graphics.Color;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.osgi.service.component.annotations.Component;

/**
 * A view from a bundle of its own: the UI tests install this bundle while the workbench is open
 * and expect its tab to come and go with it. Ordered between the station's views.
 */
@Component(property = {
    View.ID_PROPERTY + "=" + FixtureView.ID,
    View.TITLE_PROPERTY + "=" + FixtureView.TITLE,
    View.ORDER_PROPERTY + ":Integer=25"
})
public class FixtureView implements View {
  public static final String ID = "fixture";
  public static final String TITLE = "Fixture view";

  @Override
  public ViewPart createPart(Composite parent, ViewSite site) {
    Color background = new Color(parent.getDisplay(), 250, 240, 200);
    Label label = new Label(parent, SWT.CENTER | SWT.WRAP);
    label.setText("A view contributed by the bundle io.vigil.itest.view");
    label.setBackground(background);
    label.setData(View.WIDGET_ID, "fixture.label");
    return background::dispose;
  }
}
