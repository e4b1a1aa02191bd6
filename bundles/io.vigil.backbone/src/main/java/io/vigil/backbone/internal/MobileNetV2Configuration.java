package io.vigil.backbone.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Vigil MobileNetV2 backbone",
    description = "Where the ImageNet MobileNetV2 weights (TFLite) and labels come from.")
public @interface MobileNetV2Configuration {

  @AttributeDefinition(
      name = "Models directory",
      description = "Directory holding " + MobileNetV2Factory.WEIGHTS_FILE + " (searched before VIGIL_MODEL_PATH "
          + "and ~/.vigil/models). Empty: none.")
  String models_dir() default "";

  @AttributeDefinition(
      name = "Download",
      description = "Download missing weights from their public source (sha256 checked) into ~/.vigil/models.")
  boolean download() default true;

  @AttributeDefinition(name = "Weights URL", description = "Public source of the weights file.")
  String weights_url() default MobileNetV2Factory.WEIGHTS_URL;

  @AttributeDefinition(name = "Labels URL", description = "Public source of the ImageNet labels (1001 lines).")
  String labels_url() default MobileNetV2Factory.LABELS_URL;

  @AttributeDefinition(
      name = "Execution",
      description = "graph: the layers the taps need run as one compiled graph (the engine fuses convolution, "
          + "bias and activation; several times faster). layers: DJL blocks one operator at a time (the "
          + "reference the graph is tested against). Read when the backbone loads.",
      options = {
          @Option(value = MobileNetV2Factory.EXECUTION_GRAPH, label = "Compiled graph"),
          @Option(value = MobileNetV2Factory.EXECUTION_LAYERS, label = "Layer by layer")
      })
  String execution() default MobileNetV2Factory.EXECUTION_GRAPH;

  @AttributeDefinition(name = "Download timeout (s)", min = "1")
  int download_timeout_seconds() default 120;
}
