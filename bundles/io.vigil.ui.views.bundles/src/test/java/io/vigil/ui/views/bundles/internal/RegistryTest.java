package io.vigil.ui.views.bundles.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.Version;

class RegistryTest {

  @Test
  void bundlesAreListedByIdWithReadableStates() {
    Bundle fragment = bundle(7, "org.eclipse.swt.gtk.linux.x86_64", Bundle.RESOLVED, true);
    Bundle active = bundle(3, "io.vigil.ui.views.live", Bundle.ACTIVE, false);
    Bundle stopped = bundle(5, "io.vigil.ui.views.evaluation", Bundle.RESOLVED, false);
    BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
        new Class<?>[] {BundleContext.class}, (proxy, method, args) -> {
          if (method.getName().equals("getBundles")) {
            return new Bundle[] {fragment, active, stopped};
          }
          throw new UnsupportedOperationException(method.getName());
        });
    List<String[]> rows = Registry.bundles(context);
    assertEquals(List.of("3", "5", "7"), rows.stream().map(row -> row[0]).toList());
    assertEquals(List.of("active", "resolved", "fragment"), rows.stream().map(row -> row[3]).toList());
    assertEquals("1.2.3", rows.get(0)[2]);
  }

  private Bundle bundle(long id, String name, int state, boolean fragment) {
    Dictionary<String, String> headers = new Hashtable<>(fragment ? Map.of(Constants.FRAGMENT_HOST, "org.eclipse.swt") : Map.of());
    return (Bundle) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {Bundle.class},
        (proxy, method, args) -> switch (method.getName()) {
          case "getBundleId" -> id;
          case "getSymbolicName" -> name;
          case "getState" -> state;
          case "getHeaders" -> headers;
          case "getVersion" -> new Version(1, 2, 3);
          case "hashCode" -> (int) id;
          case "equals" -> proxy == args[0];
          default -> throw new UnsupportedOperationException(method.getName());
        });
  }
}
