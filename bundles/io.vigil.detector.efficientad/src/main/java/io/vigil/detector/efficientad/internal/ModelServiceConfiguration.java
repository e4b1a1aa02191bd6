package io.vigil.detector.efficientad.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(
    name = "Vigil EfficientAD model",
    description = "A saved EfficientAD model offered to the station as a detector. One configuration per model "
        + "(e.g. deploy/io.vigil.detector.efficientad.model-tiles.config).")
@interface ModelServiceConfiguration {

  @AttributeDefinition(name = "Model directory", description = "The directory ./vigil train --algorithm efficientad wrote.")
  String model_dir();

  @AttributeDefinition(name = "Name", description = "Detector name; empty: the name stored in the model.")
  String name() default "";

  @AttributeDefinition(name = "Service ranking", description = "Among detectors, the station picks the highest.")
  int service_ranking() default 0;

  @AttributeDefinition(name = "Backbone weights directory", description = "Where the backbone weights are; "
      + "empty: the backbone's own lookup (VIGIL_MODEL_PATH, ~/.vigil/models, ...).")
  String models() default "";
}
