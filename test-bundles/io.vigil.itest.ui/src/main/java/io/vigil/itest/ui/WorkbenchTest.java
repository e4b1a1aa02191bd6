package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.image.ImageFiles;
import io.vigil.ui.swt.View;
import io.vigil.ui.swt.ViewPart;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Label;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/** The workbench shell: views come, go and reorder with their services and bundles. */
class WorkbenchTest {
  private static final String FIXTURE_TITLE = "Fixture view";

  private UiDriver ui;
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private Bundle fixture;

  @BeforeEach
  void open() throws Exception {
    ui = UiDriver.open(null);
  }

  @AfterEach
  void close() throws Exception {
    registrations.forEach(ServiceRegistration::unregister);
    if (fixture != null && fixture.getState() != Bundle.UNINSTALLED) {
      fixture.uninstall();
    }
    ui.close();
  }

  @Test
  void aViewFromABundleAppearsWithItAndGoesWithIt() throws Exception {
    assertFalse(ui.tabTitles().contains(FIXTURE_TITLE));
    try (InputStream jar = getClass().getResourceAsStream("/fixtures/fixture-view.jar")) {
      fixture = ui.context.installBundle("itest:fixture-view", jar);
    }
    fixture.start();
    await(() -> ui.tabTitles().contains(FIXTURE_TITLE), () -> "the fixture view's tab, have " + ui.tabTitles());
    ui.selectTab(FIXTURE_TITLE);
    await(() -> FIXTURE_TITLE.equals(ui.selectedTab()), () -> "the fixture tab selected");
    String text = ui.onUi(() -> ui.widget("fixture.label", Label.class).getText());
    assertTrue(text.contains("io.vigil.itest.view"), text);

    Path shot = ui.screenshot("workbench-fixture-view");
    Image image = ImageFiles.read(shot);
    assertEquals(1280, image.width(), "the screenshot is the whole window");
    assertTrue(distinctColours(image) > 10, "the screenshot shows widgets, not a blank window");

    fixture.stop();
    await(() -> !ui.tabTitles().contains(FIXTURE_TITLE), () -> "the fixture tab gone after stop, have " + ui.tabTitles());
    fixture.start();
    await(() -> ui.tabTitles().contains(FIXTURE_TITLE), () -> "the fixture tab back after start");
    fixture.uninstall();
    await(() -> !ui.tabTitles().contains(FIXTURE_TITLE), () -> "the fixture tab gone after uninstall");
  }

  @Test
  void tabsFollowTheViewOrderAsViewsComeAndChange() throws Exception {
    AtomicInteger disposed = new AtomicInteger();
    ServiceRegistration<View> early = register("early", "Early", 1);
    register("late", "Late", 5000);
    register("middle", "Middle", 2500);
    await(() -> ui.tabTitles().containsAll(List.of("Early", "Late", "Middle")), () -> "three test tabs");
    assertEquals(List.of("Early", "Middle", "Late"), testTabs());

    // A change of order moves the tab and keeps its widgets.
    Hashtable<String, Object> moved = properties("early", "Early", 9000);
    early.setProperties(moved);
    await(() -> testTabs().equals(List.of("Middle", "Late", "Early")), () -> "Early moved last, have " + testTabs());

    registrations.add(ui.context.registerService(View.class, (parent, site) -> {
      new Label(parent, SWT.NONE).setText("counted");
      return disposed::incrementAndGet;
    }, properties("counted", "Counted", 3000)));
    await(() -> ui.tabTitles().contains("Counted"), () -> "the counted view");
    registrations.remove(registrations.size() - 1).unregister();
    // The part is disposed synchronously with the unregistration.
    assertEquals(1, disposed.get());
    assertFalse(ui.tabTitles().contains("Counted"));
  }

  @Test
  void aViewThatFailsToOpenShowsWhyAndTheWindowLivesOn() throws Exception {
    registrations.add(ui.context.registerService(View.class, (parent, site) -> {
      throw new IllegalStateException("no camera connected");
    }, properties("broken", "Broken", 1)));
    await(() -> ui.tabTitles().contains("Broken"), () -> "the broken view's tab");
    String message = ui.onUi(() -> UiDriver.find(ui.shell(), Label.class,
        label -> ((Label) label).getText().contains("no camera connected")).getText());
    assertTrue(message.contains("failed to open"), message);
    register("fine", "Fine", 2);
    await(() -> ui.tabTitles().contains("Fine"), () -> "a view after the broken one");
  }

  private List<String> testTabs() {
    return ui.tabTitles().stream().filter(List.of("Early", "Middle", "Late")::contains).toList();
  }

  private ServiceRegistration<View> register(String id, String title, int order) {
    ServiceRegistration<View> registration = ui.context.registerService(View.class, (parent, site) -> {
      Label label = new Label(parent, SWT.NONE);
      label.setText(title);
      return (ViewPart) () -> {};
    }, properties(id, title, order));
    registrations.add(registration);
    return registration;
  }

  private static Hashtable<String, Object> properties(String id, String title, int order) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(View.ID_PROPERTY, id);
    properties.put(View.TITLE_PROPERTY, title);
    properties.put(View.ORDER_PROPERTY, order);
    return properties;
  }

  static int distinctColours(Image image) {
    java.util.Set<Integer> colours = new java.util.HashSet<>();
    for (int y = 0; y < image.height(); y += 3) {
      for (int x = 0; x < image.width(); x += 3) {
        colours.add(image.sample(x, y, 0) << 16 | image.sample(x, y, 1) << 8 | image.sample(x, y, 2));
      }
    }
    return colours.size();
  }
}
