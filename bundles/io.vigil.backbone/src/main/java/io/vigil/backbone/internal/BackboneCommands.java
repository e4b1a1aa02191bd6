package io.vigil.backbone.internal;

import io.vigil.backbone.BackboneFactory;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Factory lookup shared by the backbone commands. */
final class BackboneCommands {
  private BackboneCommands() {}

  /** The factory of that name; waits a moment for one whose bundle is still starting. */
  static BackboneFactory find(Supplier<List<BackboneFactory>> factories, String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      for (BackboneFactory factory : factories.get()) {
        if (Objects.equals(factory.name(), name)) {
          return factory;
        }
      }
      if (System.nanoTime() > deadline) {
        List<String> names = factories.get().stream().map(BackboneFactory::name).toList();
        throw new IllegalArgumentException("no backbone '" + name + "'; available: " + names);
      }
      Thread.sleep(50);
    }
  }
}
