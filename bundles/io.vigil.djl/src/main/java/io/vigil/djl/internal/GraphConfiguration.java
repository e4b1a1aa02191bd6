package io.vigil.djl.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Vigil network compiler",
    description = "How frozen networks (the backbone) run as one MXNet symbolic graph.")
@interface GraphConfiguration {

  @AttributeDefinition(
      name = "Graph optimisation",
      description = "MXNet subgraph backend the graph is partitioned for before it runs. MKLDNN: oneDNN fuses "
          + "convolution, bias, activation and residual sums and keeps its blocked layout between them. none: "
          + "the graph runs operator by operator in one cached op (for comparisons). Read when a network is "
          + "compiled (a backbone loads).",
      options = {
          @Option(value = "MKLDNN", label = "oneDNN fusion (MKLDNN)"),
          @Option(value = "none", label = "none")
      })
  String optimize_for() default "MKLDNN";
}
