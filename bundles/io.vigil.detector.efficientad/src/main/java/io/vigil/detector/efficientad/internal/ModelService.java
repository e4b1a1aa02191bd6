package io.vigil.detector.efficientad.internal;

import io.vigil.api.detector.ModelException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.detector.common.service.DetectorRegistrations;
import io.vigil.djl.DeepLearningEngine;
import java.nio.file.Path;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;

/**
 * Offers a saved EfficientAD model to the station: one factory configuration per model directory.
 * Dropping the .config into deploy/ swaps the model in; removing it takes it out.
 */
@Component(name = "io.vigil.detector.efficientad.model", configurationPolicy = ConfigurationPolicy.REQUIRE, service = {})
@Designate(ocd = ModelServiceConfiguration.class, factory = true)
public class ModelService {
  private final DetectorRegistrations offered;

  @Activate
  public ModelService(
      @Reference DeepLearningEngine engine,
      @Reference(cardinality = ReferenceCardinality.AT_LEAST_ONE) List<BackboneFactory> backbones,
      BundleContext context,
      ModelServiceConfiguration configuration) throws ModelException {
    Path models = configuration.models().isBlank() ? null : Path.of(configuration.models());
    offered = new DetectorRegistrations(context);
    offered.offer("EfficientAD", configuration.model_dir(), configuration.service_ranking(),
        directory -> new EfficientAdModels(engine, () -> backbones).load(directory, configuration.name(), models));
  }

  @Deactivate
  void deactivate() {
    offered.close();
  }
}
