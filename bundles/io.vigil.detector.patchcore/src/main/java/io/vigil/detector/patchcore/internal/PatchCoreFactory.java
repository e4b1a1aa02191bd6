package io.vigil.detector.patchcore.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.detector.ModelException;
import io.vigil.api.detector.TrainingException;
import io.vigil.api.detector.TrainingMonitor;
import io.vigil.api.source.ImageSource;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.service.ModelDetectorFactory;
import io.vigil.detector.common.service.ModelOptions;
import io.vigil.djl.DeepLearningEngine;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
public class PatchCoreFactory extends ModelDetectorFactory {
  private final DeepLearningEngine engine;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> backbones;

  @Activate
  public PatchCoreFactory(@Reference DeepLearningEngine engine, BundleContext context) {
    super(PatchCoreMetadata.ALGORITHM, context);
    this.engine = engine;
  }

  @Deactivate
  void deactivate() {
    withdrawAll();
  }

  @Override
  protected PatchCoreDetector train(ImageSource goodImages, ModelOptions options, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    PatchCoreParameters p = PatchCoreParameters.forFit(options.settings());
    return trainOnBackbone(models().backbones(), p.backbone(), options.models(), engine,
        (backbone, manager) -> new PatchCoreTrainer(p, monitor)
            .train(goodImages, backbone, manager, modelDirectory, options.nameFor(modelDirectory)));
  }

  @Override
  public boolean recognizes(Path modelDirectory) {
    return PatchCoreModels.looksLikeModel(modelDirectory);
  }

  @Override
  protected PatchCoreDetector load(Path modelDirectory, String name, Path models) throws ModelException {
    return models().load(modelDirectory, name, models);
  }

  PatchCoreModels models() {
    return new PatchCoreModels(engine, () -> new ArrayList<>(backbones));
  }
}
