package io.vigil.backbone.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil model zoo ResNet backbone",
    description = "An ImageNet ResNet from DJL's MXNet model zoo (needs internet once, and the deep learning "
        + "engine's Offline switched off), or from a local copy.")
@interface ZooResNetConfiguration {

  @AttributeDefinition(
      name = "Model URL",
      description = "Where the model (MXNet symbol + params, synset.txt) is: empty for DJL's model zoo, or a "
          + "file: URL of a directory holding a saved copy.")
  String model_url() default "";
}
