package io.vigil.itest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.Constants;

/** Every bundle of the test framework resolved and started: a broken manifest fails here. */
class FrameworkTest {

  @Test
  void everyBundleIsActive() {
    BundleContext context = FrameworkUtil.getBundle(FrameworkTest.class).getBundleContext();
    List<String> notActive = new ArrayList<>();
    for (Bundle bundle : context.getBundles()) {
      boolean fragment = bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null;
      int expected = fragment ? Bundle.RESOLVED : Bundle.ACTIVE;
      if (bundle.getState() != expected && !bundle.getLocation().startsWith("itest:")) {
        notActive.add(bundle.getSymbolicName() + " (state " + bundle.getState() + ")");
      }
    }
    assertEquals(List.of(), notActive);
  }
}
