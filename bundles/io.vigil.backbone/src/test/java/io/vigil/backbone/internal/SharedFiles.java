package io.vigil.backbone.internal;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;

/** The read-only files beside the checkout (../shared): weights and sample photos. */
final class SharedFiles {
  private SharedFiles() {}

  static Path models() {
    Path shared = Path.of(System.getProperty("vigil.shared", "../../../shared"));
    Path models = shared.resolve("models");
    if (!Files.isRegularFile(models.resolve(MobileNetV2Factory.WEIGHTS_FILE))) {
      fail("MobileNetV2 weights missing: expected " + models.resolve(MobileNetV2Factory.WEIGHTS_FILE).toAbsolutePath()
          + " (../shared/models beside the checkout)");
    }
    return models;
  }

  static Path samples() {
    return models().resolve("imagenet-samples");
  }
}
