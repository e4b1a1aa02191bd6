package io.vigil.detector.patchcore.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.source.ImageSource;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.service.DetectorRegistrations;
import io.vigil.detector.common.service.ModelOptions;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The "patchcore" detector factory. "Training" is fitting: features of the good images, a coreset
 * memory bank, calibration; the model is registered at once as a Detector service, so the station
 * can switch to it. Saved models load through here too.
 */
// Immediate: the factory owns the detectors it fitted and registered; a delayed component would be
// deactivated (and withdraw them) as soon as its last user let go of it.
@Component(
    service = DetectorFactory.class,
    immediate = true,
    property = Detector.ALGORITHM_PROPERTY + "=" + PatchCoreMetadata.ALGORITHM)
public class PatchCoreFactory implements DetectorFactory {
  private final DeepLearningEngine engine;
  private final DetectorRegistrations registered;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> backbones;

  @Activate
  public PatchCoreFactory(@Reference DeepLearningEngine engine, BundleContext context) {
    this.engine = engine;
    this.registered = new DetectorRegistrations(context);
  }

  @Deactivate
  void deactivate() {
    registered.close();
  }

  @Override
  public String algorithm() {
    return PatchCoreMetadata.ALGORITHM;
  }

  @Override
  public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    ModelOptions options = ModelOptions.of(parameters);
    PatchCoreParameters p = PatchCoreParameters.defaults().with(options.settings());
    Backbone backbone;
    try {
      backbone = models().backbones().backbone(p.backbone(), options.models());
    } catch (BackboneException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    try {
      PatchCoreDetector detector = new PatchCoreTrainer(p, monitor)
          .train(goodImages, backbone, engine.newManager(), modelDirectory, options.nameFor(modelDirectory));
      registered.register(detector);
      return detector;
    } catch (EngineUnavailableException e) {
      backbone.close();
      throw new TrainingException(e.getMessage(), e);
    }
  }

  @Override
  public boolean recognizes(Path modelDirectory) {
    return PatchCoreModels.looksLikeModel(modelDirectory);
  }

  @Override
  public Detector load(Path modelDirectory) throws ModelException {
    return load(modelDirectory, Map.of());
  }

  @Override
  public Detector load(Path modelDirectory, Map<String, Object> options) throws ModelException {
    ModelOptions o = ModelOptions.of(options);
    return models().load(modelDirectory, o.name(), o.models());
  }

  PatchCoreModels models() {
    return new PatchCoreModels(engine, () -> new ArrayList<>(backbones));
  }
}
