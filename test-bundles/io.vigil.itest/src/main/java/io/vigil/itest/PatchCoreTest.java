package io.vigil.itest;

import static io.vigil.itest.BackboneTest.service;
import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detection;
import io.vigil.api.detector.DetectionException;
import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.image.Image;
import io.vigil.api.inspection.InspectionResult;
import io.vigil.api.inspection.ResultSink;
import io.vigil.api.source.ImageSource;
import io.vigil.itest.StationFixtures.Collector;
import io.vigil.itest.StationFixtures.GatedSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * PatchCore inside Felix: a tiny model fitted through the factory service and registered, loaded
 * again by configuration with the same scores, then swapped in and out against a SimpleNet model
 * while a source runs, every frame scored exactly once.
 */
class PatchCoreTest {
  private final BundleContext context = FrameworkUtil.getBundle(PatchCoreTest.class).getBundleContext();

  @Test
  void fitsThroughTheFactoryAndHotSwapsWithSimpleNetUnderARunningSource(@TempDir Path temp) throws Exception {
    List<Image> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(SimpleNetTest.surface(72, 56, i));
    }
    DetectorFactory patchcore = service(DetectorFactory.class, "(vigil.detector.algorithm=patchcore)");
    Path patchcoreModel = temp.resolve("tiny-patchcore");
    Detector fitted = patchcore.train(SimpleNetTest.source(good),
        Map.of("input.size", 64, "candidate.share", 0.5, "coreset.share", 0.25, "epochs", 3, "name",
            "tiny-patchcore"), patchcoreModel,
        TrainingMonitor.NONE);
    assertTrue(patchcore.recognizes(patchcoreModel));
    assertEquals("patchcore", fitted.algorithm());
    assertEquals(1, context.getServiceReferences(Detector.class, "(vigil.detector.name=tiny-patchcore)").size(),
        "the fitted model is offered as a Detector service");

    // A bright square on an unseen surface stands out against the good patches in the bank.
    Image part = SimpleNetTest.surface(72, 56, 42);
    Detection clean = fitted.detect(part);
    Detection flawed = fitted.detect(withSquare(part, 30, 20, 10));
    assertEquals(72, clean.map().width());
    assertTrue(flawed.rawScore() > clean.rawScore() * 1.5, "defect " + flawed.rawScore() + " vs good " + clean.rawScore());

    DetectorFactory simplenet = service(DetectorFactory.class, "(vigil.detector.algorithm=simplenet)");
    Path simplenetModel = temp.resolve("tiny-simplenet");
    simplenet.train(SimpleNetTest.source(good), Map.of("input.size", 64, "epochs", 1, "batch.size", 4, "name",
        "tiny-simplenet"), simplenetModel, TrainingMonitor.NONE);

    ConfigurationAdmin admin = service(ConfigurationAdmin.class, null);
    Configuration simplenetOffer = admin.getFactoryConfiguration("io.vigil.detector.simplenet.model", "swap", "?");
    simplenetOffer.update(new Hashtable<>(Map.of("model.dir", simplenetModel.toString(), "name", "swap-simplenet",
        "service.ranking", 5)));
    Configuration patchcoreOffer = admin.getFactoryConfiguration("io.vigil.detector.patchcore.model", "swap", "?");
    Collector collector = new Collector("patchcore-swap");
    ServiceRegistration<ResultSink> sink = context.registerService(ResultSink.class, collector, null);
    ServiceRegistration<ImageSource> sourceRegistration = null;
    try {
      // Bound by the station, not just registered: the freshly fitted models are detectors too.
      awaitStationDetector("swap-simplenet");
      int frames = 60;
      GatedSource source = new GatedSource("patchcore-swap", frames);
      sourceRegistration = context.registerService(ImageSource.class, source,
          new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, "patchcore-swap")));
      source.release(15);
      await(() -> collector.results.size() >= 15, () -> "15 results from SimpleNet");

      // Offering the saved PatchCore model with a higher ranking swaps it in between two frames.
      patchcoreOffer.update(new Hashtable<>(Map.of("model.dir", patchcoreModel.toString(), "name", "swap-patchcore",
          "service.ranking", 10)));
      awaitStationDetector("swap-patchcore");
      Detector loaded = context.getService(reference("swap-patchcore"));
      assertNotNull(loaded);
      assertEquals(clean.rawScore(), loaded.detect(part).rawScore(), 1e-6, "the saved bank scores as the fitted one");
      assertEquals(flawed.rawScore(), loaded.detect(withSquare(part, 30, 20, 10)).rawScore(), 1e-6);
      source.release(30);
      await(() -> collector.results.size() >= 45, () -> "45 results");

      // Withdrawing it hands back to SimpleNet.
      patchcoreOffer.delete();
      patchcoreOffer = null;
      awaitStationDetector("swap-simplenet");
      source.release(frames - 45);
      await(() -> collector.results.size() >= frames, () -> frames + " results, have " + collector.results.size());

      List<InspectionResult> results = collector.snapshot();
      collector.assertEveryFrameExactlyOnce("patchcore-swap", frames);
      assertEquals(List.of("swap-simplenet", "swap-patchcore", "swap-simplenet"), collector.detectorRuns());
      for (InspectionResult result : results) {
        assertNotNull(result.detection(), result.frameId() + " was scored");
      }
    } finally {
      if (sourceRegistration != null) {
        sourceRegistration.unregister();
      }
      sink.unregister();
      if (patchcoreOffer != null) {
        patchcoreOffer.delete();
      }
      simplenetOffer.delete();
    }
    assertTrue(Files.isRegularFile(patchcoreModel.resolve("bank.bin")));
    // Its user is done with the fitted model (as `./vigil curve` is after each run): closing it
    // withdraws the service before freeing the bank, so no station picks up a closed detector.
    ((AutoCloseable) fitted).close();
    assertEquals(null, reference("tiny-patchcore"), "closing the fitted detector withdrew it");
    assertThrows(DetectionException.class, () -> fitted.detect(part), "a closed detector scores no more");
    new OsgiSupport().withdrawDetectors("tiny-simplenet");
    assertEquals(null, reference("tiny-simplenet"), "stopping the bundle withdrew the trained detector");
  }

  /** Pass or fail, the station tests that follow see only their own detectors. */
  @AfterEach
  void withdrawFittedDetectors() throws Exception {
    new OsgiSupport().withdrawDetectors("tiny-patchcore", "tiny-simplenet");
  }

  /** A copy of a grey image with a bright square. */
  static Image withSquare(Image image, int x0, int y0, int size) {
    byte[] pixels = image.pixels8().clone();
    for (int y = y0; y < y0 + size; y++) {
      for (int x = x0; x < x0 + size; x++) {
        pixels[y * image.width() + x] = (byte) 250;
      }
    }
    return Image.of8Bit(image.width(), image.height(), 1, pixels);
  }

  private void awaitStationDetector(String name) throws InterruptedException {
    new OsgiSupport().awaitStationDetector(name);
  }

  private ServiceReference<Detector> reference(String name) {
    return new OsgiSupport().detectorReference(name);
  }
}
