package io.vigil.backbone.internal;

import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/** resnet18_v1 from DJL's MXNet model zoo. */
@Component(
    service = BackboneFactory.class,
    name = "io.vigil.backbone.resnet18",
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = BackboneFactory.NAME_PROPERTY + "=resnet18_v1")
@Designate(ocd = ZooResNetConfiguration.class)
public class ResNet18Factory extends ZooResNetFactory {
  @Activate
  public ResNet18Factory(@Reference DeepLearningEngine engine, ZooResNetConfiguration configuration) {
    super(engine, "resnet18_v1", configuration);
  }
}
