package io.vigil.detector.patchcore.internal;

import io.vigil.api.detector.Detector;
import io.vigil.api.detector.ModelException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import java.nio.file.Path;
import java.util.Hashtable;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Offers a saved PatchCore model to the station: one factory configuration per model directory.
 * Dropping the .config into deploy/ swaps the model in; removing it takes it out.
 */
@Component(name = "io.vigil.detector.patchcore.model", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ModelServiceConfiguration.class, factory = true)
public class ModelService {
  private static final Logger LOG = LoggerFactory.getLogger(ModelService.class);

  private final PatchCoreDetector detector;
  private final ServiceRegistration<Detector> registration;

  @Activate
  public ModelService(
      @Reference DeepLearningEngine engine,
      @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<BackboneFactory> backbones,
      BundleContext context,
      ModelServiceConfiguration configuration) throws ModelException {
    Path directory = Path.of(configuration.model_dir()).toAbsolutePath();
    Path models = configuration.models().isBlank() ? null : Path.of(configuration.models());
    try {
      detector = new PatchCoreModels(engine, () -> backbones).load(directory, configuration.name(), models);
    } catch (ModelException e) {
      LOG.error("PatchCore model not offered: {}", e.getMessage());
      throw e;
    }
    Hashtable<String, Object> properties = new Hashtable<>();
    properties.put(Detector.NAME_PROPERTY, detector.name());
    properties.put(Detector.ALGORITHM_PROPERTY, detector.algorithm());
    properties.put(PatchCoreFactory.MODEL_DIRECTORY_PROPERTY, directory.toString());
    properties.put(Constants.SERVICE_RANKING, configuration.service_ranking());
    registration = context.registerService(Detector.class, detector, properties);
    LOG.info("PatchCore model '{}' offered from {}", detector.name(), directory);
  }

  @Deactivate
  void deactivate() {
    registration.unregister();
    detector.close();
  }
}
