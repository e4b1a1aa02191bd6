package io.vigil.itest.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;

/** Every bundle of the UI test framework resolved and started (the SWT fragment attached): a broken manifest fails here. */
class UiFrameworkTest {

  @Test
  void everyBundleIsActiveAndTheSwtFragmentIsAttached() {
    BundleContext context = FrameworkUtil.getBundle(UiFrameworkTest.class).getBundleContext();
    List<String> notActive = new ArrayList<>();
    for (Bundle bundle : context.getBundles()) {
      boolean fragment = bundle.getHeaders("").get(Constants.FRAGMENT_HOST) != null;
      int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
      if (bundle.getState() != expected && !bundle.getLocation().startsWith("itest:")) {
        notActive.add(bundle.getSymbolicName() + " (state " + bundle.getState() + ")");
      }
    }
    assertEquals(List.of(), notActive);
    // SWT's classes come from the GTK fragment: loading one through the host proves it is attached.
    Bundle swt = List.of(context.getBundles()).stream().filter(b -> "org.eclipse.swt".equals(b.getSymbolicName()))
        .findFirst().orElseThrow(() -> new AssertionError("org.eclipse.swt is not installed"));
    try {
      swt.loadClass("org.eclipse.swt.widgets.Display");
    } catch (ClassNotFoundException e) {
      throw new AssertionError("the GTK fragment is not attached to org.eclipse.swt", e);
    }
  }
}
