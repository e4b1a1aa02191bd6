package io.vigil.detector.simplenet.internal;

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
 * The "simplenet" detector factory. A model it trains is registered at once as a Detector
 * service, so the station can switch to it; saved models load through here too.
 */
// Immediate: the factory owns the detectors it trained and registered; a delayed component would be
// deactivated (and withdraw them) as soon as its last user let go of it.
@Component(
    service = DetectorFactory.class,
    immediate = true,
    property = Detector.ALGORITHM_PROPERTY + "=" + ModelMetadata.ALGORITHM)
public class SimpleNetFactory implements DetectorFactory {
  /** Detector service property: the model directory the detector was loaded from. */
  static final String MODEL_DIRECTORY_PROPERTY = "vigil.model.dir";

  private final DeepLearningEngine engine;
  private final BundleContext context;
  private final List<Registered> registered = new CopyOnWriteArrayList<>();

  @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
  private volatile List<BackboneFactory> backbones;

  @Activate
  public SimpleNetFactory(@Reference DeepLearningEngine engine, BundleContext context) {
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
    return ModelMetadata.ALGORITHM;
  }

  @Override
  public Detector train(ImageSource goodImages, Map<String, Object> parameters, Path modelDirectory,
      TrainingMonitor monitor) throws TrainingException, InterruptedException {
    Map<String, Object> hyper = new HashMap<>(parameters);
    Object name = hyper.remove("name");
    Object models = hyper.remove("models");
    SimpleNetParameters p = SimpleNetParameters.defaults().with(hyper);
    Path modelsDirectory = models == null ? null : Path.of(models.toString());
    Backbone backbone;
    try {
      backbone = models().backbone(p.backbone(), modelsDirectory);
    } catch (BackboneException e) {
      throw new TrainingException(e.getMessage(), e);
    }
    try {
      SimpleNetTrainer trainer = new SimpleNetTrainer(engine.engine(), p, monitor);
      String modelName = name != null ? name.toString() : modelDirectory.toAbsolutePath().normalize().getFileName().toString();
      SimpleNetDetector detector = trainer.train(goodImages, backbone, engine.newManager(), modelDirectory, modelName);
      register(detector);
      return detector;
    } catch (EngineUnavailableException e) {
      backbone.close();
      throw new TrainingException(e.getMessage(), e);
    }
  }

  @Override
  public boolean recognizes(Path modelDirectory) {
    return ModelStore.looksLikeModel(modelDirectory);
  }

  @Override
  public Detector load(Path modelDirectory) throws ModelException {
    return load(modelDirectory, Map.of());
  }

  @Override
  public Detector load(Path modelDirectory, Map<String, Object> options) throws ModelException {
    Object models = options.get("models");
    Object name = options.get("name");
    return models().load(modelDirectory, name == null ? null : name.toString(), models == null ? null : Path.of(models.toString()));
  }

  SimpleNetModels models() {
    return new SimpleNetModels(engine, () -> new ArrayList<>(backbones));
  }

  private void register(SimpleNetDetector detector) {
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Detector.NAME_PROPERTY, detector.name());
    properties.put(Detector.ALGORITHM_PROPERTY, detector.algorithm());
    properties.put(MODEL_DIRECTORY_PROPERTY, detector.directory().toAbsolutePath().toString());
    ServiceRegistration<Detector> registration = context.registerService(Detector.class, detector, properties);
    registered.add(new Registered(detector, registration));
  }

  private record Registered(SimpleNetDetector detector, ServiceRegistration<Detector> registration) {}
}
