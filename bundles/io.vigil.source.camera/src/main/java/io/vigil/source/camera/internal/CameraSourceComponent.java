package io.vigil.source.camera.internal;

import io.vigil.api.source.FrameStream;
import io.vigil.api.source.ImageSource;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;

/**
 * A camera as a live image source, one per factory configuration ({@code io.vigil.source.camera}).
 * The component owns the camera's acquisition thread from activation to deactivation; the camera
 * itself is opened when a stream is, and reconnected without the station noticing more than one
 * error when it is lost and comes back.
 */
@Component(
    name = CameraSourceComponent.PID,
    configurationPolicy = ConfigurationPolicy.REQUIRE,
    service = ImageSource.class)
@Designate(ocd = CameraSourceConfiguration.class, factory = true)
public class CameraSourceComponent implements ImageSource {
  static final String PID = "io.vigil.source.camera";

  private final String name;
  private final String origin;
  private final CameraAcquisition acquisition;
  private final AtomicLong sequence = new AtomicLong();

  @Activate
  public CameraSourceComponent(@Reference AravisRuntime runtime, CameraSourceConfiguration configuration) {
    String configuredName = configuration.vigil_source_name();
    if (configuredName == null || configuredName.isBlank()) {
      throw new IllegalArgumentException("the camera source configuration needs vigil.source.name");
    }
    name = configuredName.trim();
    CameraSettings settings = settings(configuration);
    origin = settings.deviceId().isBlank() ? "camera:first" : "camera:" + settings.deviceId();
    CameraAcquisition.Upkeep upkeep = new CameraAcquisition.Upkeep(
        Duration.ofMillis(Math.max(10, configuration.reconnect_initial_ms())),
        Duration.ofMillis(Math.max(10, configuration.reconnect_max_ms())),
        Duration.ofMillis(Math.max(0, configuration.idle_disconnect_ms())),
        Math.max(1, configuration.queue_frames()));
    acquisition = new CameraAcquisition(name, runtime, settings, upkeep);
    acquisition.start();
  }

  @Deactivate
  void deactivate() throws InterruptedException {
    acquisition.close();
  }

  static CameraSettings settings(CameraSourceConfiguration c) {
    return new CameraSettings(
        trim(c.device_id()), trim(c.pixel_format()), Math.max(0, c.region_x()), Math.max(0, c.region_y()),
        Math.max(0, c.region_width()), Math.max(0, c.region_height()), Math.max(0, c.exposure_us()),
        Math.max(0, c.frame_rate()), c.trigger() == null ? Trigger.FREE_RUN : c.trigger(),
        c.trigger_source() == null || c.trigger_source().isBlank() ? "Line1" : c.trigger_source().trim(),
        Duration.ofMillis(Math.max(100, c.stream_timeout_ms())), Math.max(2, c.buffers()));
  }

  private static String trim(String value) {
    return value == null ? "" : value.trim();
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public boolean isFinite() {
    return false;
  }

  /** A new reader; the camera is opened (or sought) by the acquisition thread, never here. */
  @Override
  public FrameStream open() {
    return new CameraFrameStream(acquisition.subscribe(), name, origin, sequence);
  }
}
