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
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
  /** Detector service property: the model directory the detector was loaded from. */
  static final String MODEL_DIRECTORY_PROPERTY = "vigil.model.dir";

  private final DeepLearningEngine engine;
  private final BundleContext context;
  private final List<Registered> registered = new CopyOnWriteArrayList<>();

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> backbones;

  @Activate
  public PatchCoreFactory(@Reference DeepLearningEngine engine, BundleContext context) {
    this.engine = engine;
    this.context = context;
  }

  @Deactivate
  void deactivate() {
    for (Registered entry : registered) {
      entry.registration().unregister();
      entry.detector().close();
    }
    registered.clear();
  }

  @Override
  public String algorithm() {
    return PatchCoreMetadata.ALGORITHM;
  }

  @Override
  public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    Map<String, Object> settings = new HashMap<>(parameters);
    Object name = settings.remove("name");
    Object models = settings.remove("models");
    PatchCoreParameters p = PatchCoreParameters.defaults().with(settings);
    Path modelsDirectory = models == null ? null : Path.of(models.toString());
    Backbone backbone;
    try {
      backbone = models().backbones().backbone(p.backbone(), modelsDirectory);
    } catch (BackboneException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    try {
      String modelName = name != null ? name.toString() : modelDirectory.toAbsolutePath().normalize().getFileName().toString();
      PatchCoreDetector detector = new PatchCoreTrainer(p, monitor)
          .train(goodImages, backbone, engine.newManager(), modelDirectory, modelName);
      register(detector);
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
    Object models = options.get("models");
    Object name = options.get("name");
    return models().load(modelDirectory, name == null ? null : name.toString(),
        models == null ? null : Path.of(models.toString()));
  }

  PatchCoreModels models() {
    return new PatchCoreModels(engine, () -> new ArrayList<>(backbones));
  }

  private void register(PatchCoreDetector detector) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Detector.NAME_PROPERTY, detector.name());
    properties.put(Detector.ALGORITHM_PROPERTY, detector.algorithm());
    properties.put(MODEL_DIRECTORY_PROPERTY, detector.directory().toAbsolutePath().toString());
    ServiceRegistration<Detector> registration = context.registerService(Detector.class, detector, properties);
    registered.add(new Registered(detector, registration));
  }

  private record Registered(PatchCoreDetector detector, ServiceRegistration<Detector> registration) {}
}
