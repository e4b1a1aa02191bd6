package io.vigil.detector.simplenet.internal;

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
 * The "simplenet" detector factory. A model it trains is registered at once as a Detector
 * service, so the station can switch to it; saved models load through here too.
 */
// Immediate: the factory owns the detectors it trained and registered; a delayed component would be
// deactivated (and withdraw them) as soon as its last user let go of it.
@Component(
    service = DetectorFactory.class,
    immediate = true,
    property = Detector.ALGORITHM_PROPERTY + "=" + ModelMetadata.ALGORITHM)
public class SimpleNetFactory extends ModelDetectorFactory {
  private final DeepLearningEngine engine;

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> backbones;

  @Activate
  public SimpleNetFactory(@Reference DeepLearningEngine engine, BundleContext context) {
    super(ModelMetadata.ALGORITHM, context);
    this.engine = engine;
  }

  @Deactivate
  void deactivate() {
    withdrawAll();
  }

  @Override
  protected SimpleNetDetector train(ImageSource goodImages, ModelOptions options, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    SimpleNetParameters p = SimpleNetParameters.defaults().with(options.settings());
    return trainOnBackbone(models().backbones(), p.backbone(), options.models(), engine,
        (backbone, manager) -> new SimpleNetTrainer(engine.engine(), p, monitor)
            .train(goodImages, backbone, manager, modelDirectory, options.nameFor(modelDirectory)));
  }

  @Override
  public boolean recognizes(Path modelDirectory) {
    return ModelStore.looksLikeModel(modelDirectory);
  }

  @Override
  protected SimpleNetDetector load(Path modelDirectory, String name, Path models) throws ModelException {
    return models().load(modelDirectory, name, models);
  }

  SimpleNetModels models() {
    return new SimpleNetModels(engine, () -> new ArrayList<>(backbones));
  }
}
