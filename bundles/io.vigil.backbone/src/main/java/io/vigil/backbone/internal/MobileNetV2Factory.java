package io.vigil.backbone.internal;

import ai.djl.ndarray.NDManager;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import io.vigil.djl.EngineUnavailableException;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import io.vigil.djl.graph.NetworkCompiler;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** MobileNetV2 (width 1.0, ImageNet, 1001 classes) from the TFLite file in ../shared/models. */
@Component(
    name = "io.vigil.backbone.mobilenetv2",
    configurationPolicy = ConfigurationPolicy.OPTIONAL,
    property = BackboneFactory.NAME_PROPERTY + "=" + MobileNetV2Factory.NAME)
@Designate(ocd = MobileNetV2Configuration.class)
public class MobileNetV2Factory implements BackboneFactory {
  static final String NAME = "mobilenet_v2";
  static final String WEIGHTS_FILE = "mobilenet_v2_1.0_224_ptq.tflite";
  static final String WEIGHTS_SHA256 = "5d3137241276e79c86d14a74fe43581398ae0e815191d3dba45495b810840e8c";
  static final String WEIGHTS_URL =
      "https://raw.githubusercontent.com/google-coral/test_data/master/tf2_mobilenet_v2_1.0_224_ptq.tflite";
  static final String EXECUTION_GRAPH = "graph";
  static final String EXECUTION_LAYERS = "layers";
  static final String LABELS_FILE = "imagenet_labels.txt";
  static final String LABELS_URL = "https://storage.googleapis.com/download.tensorflow.org/data/ImageNetLabels.txt";
  private static final Logger LOG = LoggerFactory.getLogger(MobileNetV2Factory.class);

  private final DeepLearningEngine engine;
  private final NetworkCompiler compiler;
  private volatile MobileNetV2Configuration configuration;

  @Activate
  public MobileNetV2Factory(
      @Reference DeepLearningEngine engine,
      @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
          NetworkCompiler compiler,
      MobileNetV2Configuration configuration) {
    this.engine = engine;
    this.compiler = compiler;
    this.configuration = configuration;
  }

  @Modified
  void modified(MobileNetV2Configuration newConfiguration) {
    this.configuration = newConfiguration;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "MobileNetV2 1.0 (ImageNet, 1001 classes) from " + WEIGHTS_FILE + ", int8 weights dequantised to float";
  }

  @Override
  public Backbone load(Path modelsDirectory) throws BackboneException {
    MobileNetV2Configuration config = configuration;
    ModelFiles files = modelFiles(modelsDirectory, config);
    Path weights = files.locate(new ModelFiles.Wanted(
        WEIGHTS_FILE, WEIGHTS_SHA256, URI.create(config.weights_url()), "MobileNetV2 ImageNet weights"));
    List<String> labels = labels(files, config);
    NDManager manager;
    try {
      manager = engine.newManager();
    } catch (EngineUnavailableException e) {
      throw new BackboneException(e.getMessage(), e);
    }
    try {
      MobileNetV2 network = MobileNetV2.fromTfLite(TfLiteModel.read(weights), manager);
      if (!labels.isEmpty() && labels.size() != network.classes()) {
        LOG.warn("{} has {} labels for {} classes; labels ignored", LABELS_FILE, labels.size(), network.classes());
        labels = List.of();
      }
      LOG.info("MobileNetV2 loaded from {}", weights);
      boolean graph = EXECUTION_GRAPH.equals(config.execution());
      if (graph && compiler == null) {
        LOG.warn("No network compiler service: MobileNetV2 runs layer by layer (slower)");
      }
      return new MobileNetV2Backbone(manager, network, WEIGHTS_SHA256, labels, graph ? compiler : null);
    } catch (IOException | RuntimeException e) {
      manager.close();
      throw new BackboneException("cannot build MobileNetV2 from " + weights + ": " + e.getMessage(), e);
    }
  }

  static ModelFiles modelFiles(Path modelsDirectory, MobileNetV2Configuration config) {
    List<Path> explicit = new ArrayList<>();
    if (modelsDirectory != null) {
      explicit.add(modelsDirectory);
    }
    if (!config.models_dir().isBlank()) {
      explicit.add(Path.of(config.models_dir()));
    }
    Path home = Path.of(System.getProperty("user.home"));
    List<Path> search = ModelFiles.standardSearchPath(explicit, System.getenv(ModelFiles.MODEL_PATH_VARIABLE), home);
    return new ModelFiles(search, home.resolve(".vigil").resolve("models"), config.download(),
        Duration.ofSeconds(Math.max(1, config.download_timeout_seconds())));
  }

  /** Labels are a convenience for classify: missing labels are not an error. */
  private static List<String> labels(ModelFiles files, MobileNetV2Configuration config) {
    try {
      Path file = files.locate(new ModelFiles.Wanted(LABELS_FILE, null, URI.create(config.labels_url()), "ImageNet labels"));
      return Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (BackboneException | IOException e) {
      LOG.warn("No class labels: {}", e.getMessage());
      return List.of();
    }
  }
}
