package io.vigil.backbone;

import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Loads one network. Registered with {@link #NAME_PROPERTY}. */
@ProviderType
public interface BackboneFactory {
  /** Service property: the network's name, e.g. "mobilenet_v2". */
  String NAME_PROPERTY = "vigil.backbone.name";

  String name();

  /** One line for listings: architecture, training data, weights file. */
  String description();

  /**
   * Loads the network with its pretrained weights. Weights are looked up in {@code modelsDirectory}
   * when given, else in the configured directory, the directories of {@code VIGIL_MODEL_PATH},
   * {@code ~/.vigil/models}, and finally downloaded (checked against their sha256) when allowed.
   *
   * @param modelsDirectory a directory holding the weights file, or null
   * @throws BackboneException naming the file needed and where it was looked for
   */
  Backbone load(Path modelsDirectory) throws BackboneException;
}
