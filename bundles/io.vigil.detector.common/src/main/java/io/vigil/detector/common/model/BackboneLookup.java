package io.vigil.detector.common.model;

import io.vigil.api.detector.ModelException;
import io.vigil.backbone.Backbone;
import io.vigil.backbone.BackboneException;
import io.vigil.backbone.BackboneFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Finds a backbone among the registered factories and checks that a saved model's backbone is
 * the one on this station (same weights), since a model's scores mean nothing on other weights.
 */
public final class BackboneLookup {
  /** Right after start-up the backbone bundle may not have registered its factory yet. */
  private static final long STARTING_BUNDLE_GRACE_NANOS = TimeUnit.SECONDS.toNanos(10);

  private final Supplier<List<BackboneFactory>> backbones;

  /** @param backbones the factories registered now (asked again while waiting) */
  public BackboneLookup(Supplier<List<BackboneFactory>> backbones) {
    this.backbones = backbones;
  }

  /** The named backbone, loaded; waits a moment for a backbone bundle that is still starting. */
  public Backbone backbone(String name, Path modelsDirectory) throws BackboneException {
    long deadline = System.nanoTime() + STARTING_BUNDLE_GRACE_NANOS;
    while (true) {
      for (BackboneFactory factory : backbones.get()) {
        if (factory.name().equals(name)) {
          return factory.load(modelsDirectory);
        }
      }
      if (System.nanoTime() > deadline) {
        throw new BackboneException("backbone '" + name + "' is not installed on this station; installed: "
            + backbones.get().stream().map(BackboneFactory::name).toList());
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new BackboneException("interrupted while waiting for backbone '" + name + "'", e);
      }
    }
  }

  /**
   * The backbone a saved model was trained on, loaded and checked against the weights' sha256
   * the model recorded; closed again when it does not match.
   */
  public Backbone backboneOf(Path modelDirectory, String name, String sha256, Path modelsDirectory)
      throws ModelException {
    Backbone backbone;
    try {
      backbone = backbone(name, modelsDirectory);
    } catch (BackboneException e) {
      throw new ModelException("model " + modelDirectory + " needs backbone '" + name + "': " + e.getMessage(), e);
    }
    if (!backbone.weightsSha256().equals(sha256)) {
      String actual = backbone.weightsSha256();
      backbone.close();
      throw new ModelException("model " + modelDirectory + " was trained on " + name + " weights with sha256 "
          + sha256 + ", but this station's weights have sha256 " + actual
          + ": its scores would not mean the same. Install the same weights file or retrain.");
    }
    return backbone;
  }
}
