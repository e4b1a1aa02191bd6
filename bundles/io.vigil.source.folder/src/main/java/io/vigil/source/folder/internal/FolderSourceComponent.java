package io.vigil.source.folder.internal;

import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import io.vigil.image.DecodeLimits;
import io.vigil.image.ItemFrameStream;
import io.vigil.source.folder.internal.FolderSourceConfiguration.Mode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A folder of images as an image source, one per factory configuration ({@code io.vigil.source.folder}).
 * In live mode the component owns a watcher thread from activation to deactivation, so files that
 * arrive while no stream is open wait for the next one.
 */
@Component(
    name = FolderSourceComponent.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = ImageSource.class)
@Designate(ocd = FolderSourceConfiguration.class, factory = true)
public class FolderSourceComponent implements ImageSource {
  static final String PID = "io.vigil.source.folder";
  private static final Logger LOG = LoggerFactory.getLogger(FolderSourceComponent.class);

  private final String name;
  private final Mode mode;
  private final FolderLayout layout;
  private final Map<String, String> metadata;
  private final FolderWatcher watcher;
  private final DecodeLimits limits;

  @Activate
  public FolderSourceComponent(FolderSourceConfiguration configuration) throws IOException {
    name = required(configuration.vigil_source_name(), "vigil.source.name");
    mode = configuration.mode() == null ? Mode.SNAPSHOT : configuration.mode();
    layout = new FolderLayout(Path.of(required(configuration.path(), "path")), configuration.recursive(),
        configuration.include(), configuration.mask_suffix(), configuration.mask_folder());
    metadata = Map.of("source", name, "folder", layout.root().toString());
    if (configuration.max_pixels() < 0 || configuration.decode_max_side() < 0) {
      throw new IllegalArgumentException("source '" + name + "': max.pixels and decode.max.side must not be negative");
    }
    limits = DecodeLimits.of(configuration.max_pixels(), configuration.decode_max_side());
    if (mode == Mode.LIVE) {
      FolderWatcher.Settings settings = new FolderWatcher.Settings(
          Duration.ofMillis(Math.max(0, configuration.live_settle_ms())),
          Duration.ofMillis(Math.max(100, configuration.live_rescan_ms())),
          Math.max(1, configuration.live_backlog()), configuration.live_existing());
      watcher = new FolderWatcher(name, layout, settings);
      watcher.start();
      LOG.info("Source '{}' watches {} for new images", name, layout.root());
    } else {
      watcher = null;
    }
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    if (watcher != null) {
      watcher.close();
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isFinite() {
    return mode == Mode.SNAPSHOT;
  }

  @Override
  public FrameStream open() throws IOException {
    if (watcher != null) {
      // The watcher waits for a missing folder (and has said so in the log and its state): a reader
      // opening again after a deletion waits with it rather than failing every second.
      return new LiveFolderStream(watcher.subscribe(), layout, metadata, limits);
    }
    if (!Files.isDirectory(layout.root())) {
      throw new NoSuchFileException(layout.root().toString(), null, "source '" + name + "': no such image folder");
    }
    return new ItemFrameStream(layout.list(), item -> metadata, limits);
  }

  private static String required(String value, String property) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("the folder source configuration needs " + property);
    }
    return value.trim();
  }
}
