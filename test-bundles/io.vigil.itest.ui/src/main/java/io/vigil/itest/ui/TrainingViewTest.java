package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.dataset.synthetic.SyntheticDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;

/** The training view trains through a registered factory, shows progress, cancels, and the model becomes selectable. */
class TrainingViewTest {
  @TempDir Path directory;
  private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
  private UiDriver ui;
  private Path data;

  @BeforeEach
  void setUp() throws Exception {
    data = directory.resolve("surfaces");
    SyntheticDataset.generate(data, new SyntheticDataset.Spec(5, 64, 12, 3, 2), SyntheticDataset.Progress.NONE);
    ui = UiDriver.open("training");
    registerFactory(new FixtureFactory("fixture", Duration.ZERO));
    registerFactory(new FixtureFactory("fixture-slow", Duration.ofMillis(300)));
    ui.awaitWidget("training.data");
    await(() -> ui.items("training.algorithm").containsAll(List.of("fixture", "fixture-slow")), () -> "both factories");
    ui.enter("training.data", data.toString());
    await(() -> ui.items("training.split").contains("train"), () -> "the splits of the data set");
    ui.type("training.output", directory.resolve("models").toString());
  }

  @AfterEach
  void tearDown() throws Exception {
    try {
      registrations.forEach(ServiceRegistration::unregister);
    } finally {
      ui.close();
    }
  }

  @Test
  void aModelTrainedInTheViewIsRegisteredAndSelectableInTheStation() throws Exception {
    assertTrue(ui.text("training.data.info").startsWith("mvtec-ad data set"), ui.text("training.data.info"));
    ui.choose("training.algorithm", "fixture");
    ui.type("training.name", "surfaces-grid");
    ui.spin("training.epochs", 3);
    ui.press("training.start");
    await(() -> ui.text("training.outcome").contains("trained in"), () -> "training done: " + ui.text("training.outcome"));
    assertTrue(ui.text("training.outcome").contains("'surfaces-grid' (fixture)"), ui.text("training.outcome"));
    assertTrue(ui.text("training.progress.text").startsWith("epoch 3/3 · loss"), ui.text("training.progress.text"));
    assertTrue(Files.isRegularFile(directory.resolve("models/surfaces-grid").resolve(FixtureFactory.MODEL_FILE)));
    ServiceReference<Detector> registered = detector("surfaces-grid");
    assertEquals("fixture", registered.getProperty(Detector.ALGORITHM_PROPERTY));
    ui.screenshot("training-view");

    ui.selectTab("Station");
    await(() -> ui.items("station.detector").stream().anyMatch(item -> item.startsWith("surfaces-grid")),
        () -> "the new model in the station's detector list");

    // The same name again: refused, the first model is kept.
    ui.selectTab("Training");
    ui.press("training.start");
    await(() -> ui.text("training.outcome").contains("failed"), () -> "a second run into the same folder refused");
    assertTrue(ui.text("training.outcome").contains("a model is already there"), ui.text("training.outcome"));
  }

  @Test
  void cancellingStopsTrainingAndWritesNoModel() throws Exception {
    ui.choose("training.algorithm", "fixture-slow");
    ui.type("training.name", "never");
    ui.spin("training.epochs", 200);
    ui.press("training.start");
    await(() -> ui.text("training.progress.text").startsWith("epoch"), () -> "the first epochs");
    assertTrue(ui.enabled("training.cancel"));
    assertFalse(ui.enabled("training.start"));
    ui.press("training.cancel");
    await(() -> ui.text("training.outcome").contains("cancelled"), () -> "cancelled: " + ui.text("training.outcome"));
    assertFalse(Files.exists(directory.resolve("models/never")), "no model written");
    await(() -> Thread.getAllStackTraces().keySet().stream().noneMatch(t -> t.getName().equals("vigil-training-never")),
        () -> "the training thread ended");
    assertTrue(ui.enabled("training.start"));
    assertTrue(ui.context.getServiceReferences(Detector.class, "(vigil.detector.name=never)").isEmpty());
  }

  private ServiceReference<Detector> detector(String name) throws Exception {
    var references = ui.context.getServiceReferences(Detector.class, "(" + Detector.NAME_PROPERTY + "=" + name + ")");
    assertEquals(1, references.size(), "one detector named " + name);
    return references.iterator().next();
  }

  private void registerFactory(FixtureFactory factory) {
    registrations.add(ui.context.registerService(DetectorFactory.class, factory,
        new Hashtable<>(Map.of(Detector.ALGORITHM_PROPERTY, factory.algorithm()))));
  }
}
