package io.vigil.itest;

import static io.vigil.itest.BackboneTest.service;
import static io.vigil.itest.StationFixtures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.Detection;
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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * EfficientAD inside Felix: a tiny model trained through the factory service and registered,
 * loaded again by configuration with the same scores, then swapped in and out against a SimpleNet
 * model while a gated source runs, every frame scored exactly once.
 */
class EfficientAdTest {
  private final BundleContext context = FrameworkUtil.getBundle(EfficientAdTest.class).getBundleContext();
  private final OsgiSupport osgi = new OsgiSupport();

  @Test
  void trainsThroughTheFactoryAndHotSwapsWithSimpleNetUnderARunningSource(@TempDir Path temp) throws Exception {
    List<Image> good = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      good.add(SimpleNetTest.surface(72, 56, i));
    }
    DetectorFactory efficientad = service(DetectorFactory.class, "(vigil.detector.algorithm=efficientad)");
    Path efficientadModel = temp.resolve("tiny-efficientad");
    Detector trained = efficientad.train(SimpleNetTest.source(good), Map.of("input.size", 64, "steps", 6,
        "validations", 2, "batch.size", 4, "student.channels", 16, "autoencoder.channels", 8, "epochs", 3,
        "name", "tiny-efficientad"), efficientadModel, TrainingMonitor.NONE);
    assertTrue(efficientad.recognizes(efficientadModel));
    assertEquals("efficientad", trained.algorithm());
    assertNotNull(osgi.detectorReference("tiny-efficientad"), "the trained model is offered as a Detector service");

    Image part = SimpleNetTest.surface(72, 56, 42);
    Image flawed = PatchCoreTest.withSquare(part, 30, 20, 10);
    Detection clean = trained.detect(part);
    Detection defect = trained.detect(flawed);
    assertEquals(72, clean.map().width());
    assertEquals(56, clean.map().height());

    DetectorFactory simplenet = service(DetectorFactory.class, "(vigil.detector.algorithm=simplenet)");
    Path simplenetModel = temp.resolve("tiny-simplenet-e");
    simplenet.train(SimpleNetTest.source(good), Map.of("input.size", 64, "epochs", 1, "batch.size", 4, "name",
        "tiny-simplenet-e"), simplenetModel, TrainingMonitor.NONE);

    ConfigurationAdmin admin = service(ConfigurationAdmin.class, null);
    Configuration simplenetOffer = admin.getFactoryConfiguration("io.vigil.detector.simplenet.model", "eswap", "?");
    simplenetOffer.update(new Hashtable<>(Map.of("model.dir", simplenetModel.toString(), "name", "eswap-simplenet",
        "service.ranking", 5)));
    Configuration efficientadOffer = admin.getFactoryConfiguration("io.vigil.detector.efficientad.model", "eswap", "?");
    Collector collector = new Collector("efficientad-swap");
    ServiceRegistration<ResultSink> sink = context.registerService(ResultSink.class, collector, null);
    ServiceRegistration<ImageSource> sourceRegistration = null;
    try {
      // Bound by the station, not just registered: the freshly trained models are detectors too.
      osgi.awaitStationDetector("eswap-simplenet");
      int frames = 60;
      GatedSource source = new GatedSource("efficientad-swap", frames);
      sourceRegistration = context.registerService(ImageSource.class, source,
          new Hashtable<>(Map.of(ImageSource.NAME_PROPERTY, "efficientad-swap")));
      source.release(15);
      await(() -> collector.results.size() >= 15, () -> "15 results from SimpleNet");

      // Offering the saved EfficientAD model with a higher ranking swaps it in between two frames.
      efficientadOffer.update(new Hashtable<>(Map.of("model.dir", efficientadModel.toString(), "name",
          "eswap-efficientad", "service.ranking", 10)));
      osgi.awaitStationDetector("eswap-efficientad");
      Detector loaded = context.getService(osgi.detectorReference("eswap-efficientad"));
      assertNotNull(loaded);
      assertEquals(clean.rawScore(), loaded.detect(part).rawScore(), 1e-5, "the saved model scores as the trained one");
      assertEquals(defect.rawScore(), loaded.detect(flawed).rawScore(), 1e-5);
      source.release(30);
      await(() -> collector.results.size() >= 45, () -> "45 results");

      // Withdrawing it hands back to SimpleNet.
      efficientadOffer.delete();
      efficientadOffer = null;
      osgi.awaitStationDetector("eswap-simplenet");
      source.release(frames - 45);
      await(() -> collector.results.size() >= frames, () -> frames + " results, have " + collector.results.size());

      List<InspectionResult> results = collector.snapshot();
      collector.assertEveryFrameExactlyOnce("efficientad-swap", frames);
      assertEquals(List.of("eswap-simplenet", "eswap-efficientad", "eswap-simplenet"), collector.detectorRuns());
      for (InspectionResult result : results) {
        assertNotNull(result.detection(), result.frameId() + " was scored");
      }
    } finally {
      if (sourceRegistration != null) {
        sourceRegistration.unregister();
      }
      sink.unregister();
      if (efficientadOffer != null) {
        efficientadOffer.delete();
      }
      simplenetOffer.delete();
    }
    assertTrue(Files.isRegularFile(efficientadModel.resolve("weights.djl")));
    osgi.withdrawDetectors("tiny-efficientad", "tiny-simplenet-e");
    assertNull(osgi.detectorReference("tiny-efficientad"), "restarting the bundle withdrew the trained detector");
  }

  /** Pass or fail, the station tests that follow see only their own detectors. */
  @AfterEach
  void withdrawTrainedDetectors() throws Exception {
    osgi.withdrawDetectors("tiny-efficientad", "tiny-simplenet-e");
  }
}
