package io.vigil.detector.common.service;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The options every detector factory takes besides its algorithm's settings: "name" (the
 * detector's name) and "models" (where the backbone weights are).
 *
 * @param name     the name asked for, or null
 * @param models   the backbone weights directory asked for, or null (the backbone's own lookup)
 * @param settings the remaining entries: the algorithm's own settings
 */
public record ModelOptions(String name, Path models, Map<String, Object> settings) {

  /** Splits {@code parameters} (left unchanged) into the shared options and the algorithm's settings. */
  public static ModelOptions of(Map<String, Object> parameters) {
    Map<String, Object> settings = new HashMap<>(parameters);
    Object name = settings.remove("name");
    Object models = settings.remove("models");
    return new ModelOptions(name == null ? null : name.toString(), models == null ? null : Path.of(models.toString()),
        settings);
  }

  /** The name asked for, or else the model directory's own name. */
  public String nameFor(Path modelDirectory) {
    return name != null ? name : modelDirectory.toAbsolutePath().normalize().getFileName().toString();
  }
}
