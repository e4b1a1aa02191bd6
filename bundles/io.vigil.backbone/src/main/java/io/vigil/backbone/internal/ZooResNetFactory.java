package io.vigil.backbone.internal;

import ai.djl.Application;
import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDList;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.backbone.BackboneFactory;
import io.vigil.djl.DeepLearningEngine;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * ImageNet ResNets (v1) from DJL's MXNet model zoo, loaded through DJL's Criteria: from the zoo
 * ({@code djl://} URL, downloaded once) or from a local directory ({@code file:} URL). The
 * engine is named, never linked: its classes stay inside io.vigil.djl.
 */
abstract class ZooResNetFactory implements BackboneFactory {
  private final DeepLearningEngine engine;
  private final String modelName;
  private final String modelUrl;

  ZooResNetFactory(DeepLearningEngine engine, String modelName, ZooResNetConfiguration configuration) {
    this.engine = engine;
    this.modelName = modelName;
    this.modelUrl = configuration.model_url().isBlank() ? zooUrl(modelName) : configuration.model_url();
  }

  /** The model's address in DJL's repository, e.g. djl://ai.djl.mxnet/resnet/0.0.1/resnet18_v1. */
  static String zooUrl(String modelName) {
    return "djl://ai.djl.mxnet/resnet/0.0.1/" + modelName;
  }

  @Override
  public String name() {
    return modelName;
  }

  @Override
  public String description() {
    return modelName + " (ImageNet, 1000 classes) from " + modelUrl;
  }

  /** {@code modelsDirectory}, when given, holds the model files directly. */
  @Override
  public Backbone load(Path modelsDirectory) throws BackboneException {
    String url = modelsDirectory == null ? modelUrl : modelsDirectory.toUri().toString();
    String engineName = engineName();
    ZooModel<NDList, NDList> model;
    try {
      model = engine.withEngineClassLoader(() -> Criteria.builder()
          .setTypes(NDList.class, NDList.class)
          .optApplication(Application.CV.IMAGE_CLASSIFICATION)
          .optEngine(engineName)
          .optModelUrls(url)
          .optModelName(modelName)
          .build()
          .loadModel());
    } catch (ModelNotFoundException | MalformedModelException | IOException e) {
      throw new BackboneException("cannot load " + modelName + " from " + url + ": " + e.getMessage()
          + (url.startsWith("djl://") ? ". The model zoo needs internet once and the engine's Offline setting off "
          + "(configuration io.vigil.djl.engine, offline=false), or a local copy (model.url or --models DIR)." : ""), e);
    } catch (Exception e) {
      throw new BackboneException("cannot load " + modelName + " from " + url + ": " + e, e);
    }
    return new ZooResNetBackbone(modelName, model, labels(model));
  }

  private String engineName() throws BackboneException {
    try {
      return engine.engine().getEngineName();
    } catch (io.vigil.djl.EngineUnavailableException e) {
      throw new BackboneException(e.getMessage(), e);
    }
  }

  private static List<String> labels(ZooModel<?, ?> model) {
    try (InputStream synset = model.getArtifactAsStream("synset.txt")) {
      return new String(synset.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException | RuntimeException e) {
      return List.of();
    }
  }
}
