package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detector;
import io.vigil.itest.ui.UiFixtures.SpotDetector;
import java.io.InputStream;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

/** The bundles view lists what is there and hot-swaps bundles, its own views' bundles included. */
class BundlesViewTest {
  private UiDriver ui;
  private Bundle fixture;

  @BeforeEach
  void setUp() throws Exception {
    ui = UiDriver.open("bundles");
    ui.awaitWidget("bundles.table");
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      if (fixture != null && fixture.getState() != Bundle.UNINSTALLED) {
        fixture.uninstall();
      }
      Bundle evaluation = bundle("io.vigil.ui.views.evaluation");
      if (evaluation.getState() != Bundle.ACTIVE) {
        evaluation.start();
      }
    } finally {
      ui.close();
    }
  }

  @Test
  void stoppingAndStartingAViewBundleFromTheViewTakesItsTabAwayAndBack() throws Exception {
    await(() -> state("io.vigil.ui.views.evaluation").equals("active"), () -> "the evaluation view bundle listed active");
    assertTrue(ui.tabTitles().contains("Evaluation"));
    ui.selectRow("bundles.table", 1, "io.vigil.ui.views.evaluation");
    ui.press("bundles.stop");
    await(() -> !ui.tabTitles().contains("Evaluation"), () -> "the Evaluation tab gone, have " + ui.tabTitles());
    await(() -> state("io.vigil.ui.views.evaluation").equals("resolved"), () -> "listed resolved");
    await(() -> ui.enabled("bundles.start") && !ui.enabled("bundles.stop"), () -> "start offered, stop not");
    ui.pauseForScreenshot(500); // GTK animates a button's change of state
    ui.screenshot("bundles-view");
    ui.press("bundles.start");
    await(() -> ui.tabTitles().contains("Evaluation"), () -> "the Evaluation tab back");
    await(() -> state("io.vigil.ui.views.evaluation").equals("active"), () -> "listed active again");
  }

  @Test
  void installedBundlesAndRegisteredDetectorsComeAndGoInTheTables() throws Exception {
    ServiceRegistration<Detector> detector = ui.context.registerService(Detector.class, new SpotDetector("spot-b", 0.7),
        new Hashtable<>(Map.of(Detector.NAME_PROPERTY, "spot-b", Detector.ALGORITHM_PROPERTY, "spot")));
    await(() -> ui.rows("bundles.detectors").stream().anyMatch(row -> row.get(0).equals("spot-b")),
        () -> "spot-b in the detectors table");
    detector.unregister();
    await(() -> ui.rows("bundles.detectors").stream().noneMatch(row -> row.get(0).equals("spot-b")),
        () -> "spot-b gone from the table");

    try (InputStream jar = getClass().getResourceAsStream("/fixtures/fixture-view.jar")) {
      fixture = ui.context.installBundle("itest:fixture-view-bundles", jar);
    }
    await(() -> state("io.vigil.itest.view").equals("installed"), () -> "the fixture listed as installed");
    ui.selectRow("bundles.table", 1, "io.vigil.itest.view");
    ui.press("bundles.start");
    await(() -> ui.tabTitles().contains("Fixture view"), () -> "the fixture's tab");
    ui.press("bundles.uninstall");
    await(() -> !ui.tabTitles().contains("Fixture view"), () -> "the fixture's tab gone");
    await(() -> ui.rows("bundles.table").stream().noneMatch(row -> row.get(1).equals("io.vigil.itest.view")),
        () -> "the fixture gone from the table");
    assertTrue(ui.text("bundles.message").startsWith("uninstall io.vigil.itest.view: done"), ui.text("bundles.message"));
  }

  @Test
  void theViewsOwnBundleAndTheFrameworkCannotBeStoppedFromIt() throws Exception {
    ui.selectRow("bundles.table", 0, "0");
    assertFalse(ui.enabled("bundles.stop"));
    ui.selectRow("bundles.table", 1, "io.vigil.ui.views.bundles");
    assertFalse(ui.enabled("bundles.stop"));
    assertFalse(ui.enabled("bundles.uninstall"));
    ui.selectRow("bundles.table", 1, "io.vigil.ui.views.live");
    assertTrue(ui.enabled("bundles.stop"));
  }

  private String state(String symbolicName) {
    return ui.rows("bundles.table").stream().filter(row -> row.get(1).equals(symbolicName)).map(row -> row.get(3))
        .findFirst().orElse("absent");
  }

  private Bundle bundle(String symbolicName) {
    return List.of(ui.context.getBundles()).stream().filter(b -> symbolicName.equals(b.getSymbolicName())).findFirst()
        .orElseThrow();
  }
}
