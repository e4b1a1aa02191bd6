package io.vigil.backbone.internal;

import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** resnet50_v1 from DJL's MXNet model zoo. */
@Component(
    service = BackboneFactory.class,
    name = "io.vigil.backbone.resnet50",
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = BackboneFactory.NAME_PROPERTY + "=resnet50_v1")
@Designate(ocd = ZooResNetConfiguration.class)
public class ResNet50Factory extends ZooResNetFactory {
  @Activate
  public ResNet50Factory(@Reference DeepLearningEngine engine, ZooResNetConfiguration configuration) {
    super(engine, "resnet50_v1", configuration);
  }
}
