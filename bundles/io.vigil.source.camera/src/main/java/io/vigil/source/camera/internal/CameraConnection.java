package io.vigil.source.camera.internal;

import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One opened, configured and streaming camera. Not thread safe: the source's acquisition thread
 * alone calls it, from {@link #open} to {@link #close}.
 */
final class CameraConnection implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CameraConnection.class);

  private final AravisRuntime runtime;
  private final AravisLibrary arv;
  private final String description;
  private Pointer camera;
  private Pointer stream;
  private boolean acquiring;
  private boolean paddingKnown = true;

  private CameraConnection(AravisRuntime runtime, AravisLibrary arv, String description) {
    this.runtime = runtime;
    this.arv = arv;
    this.description = description;
  }

  /**
   * Opens the camera, applies {@code settings} where the camera offers them, and starts
   * acquisition.
   *
   * @throws CameraException when the camera is not found, refuses a setting, or cannot stream
   */
  static CameraConnection open(AravisRuntime runtime, CameraSettings settings, String sourceName) throws CameraException {
    AravisLibrary arv = runtime.bindings().aravis();
    CameraConnection connection = new CameraConnection(runtime, arv, settings.describeDevice());
    try {
      connection.connect(settings);
      connection.configure(settings, sourceName);
      connection.startStreaming(settings.buffers());
      return connection;
    } catch (CameraException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  /** "vendor model (id)" of the opened camera. */
  String identity() throws CameraException {
    PointerByReference error = new PointerByReference();
    String vendor = arv.arv_camera_get_vendor_name(camera, error);
    runtime.check(error, description);
    String model = arv.arv_camera_get_model_name(camera, error);
    runtime.check(error, description);
    String id = arv.arv_camera_get_device_id(camera, error);
    runtime.check(error, description);
    return vendor + " " + model + " (" + id + ")";
  }

  private void connect(CameraSettings settings) throws CameraException {
    PointerByReference error = new PointerByReference();
    runtime.globalLock().lock();
    try {
      // Discover first: a GigE camera opened by name without a fresh device list (Aravis 0.8.26)
      // answers control requests but its stream never arrives. Discovery takes about a second.
      arv.arv_update_device_list();
      camera = arv.arv_camera_new(settings.deviceId().isBlank() ? null : settings.deviceId(), error);
    } finally {
      runtime.globalLock().unlock();
    }
    runtime.check(error, "cannot open " + description);
    if (camera == null) {
      throw new CameraException("cannot open " + description + ": not found");
    }
  }

  private void configure(CameraSettings settings, String sourceName) throws CameraException {
    PointerByReference error = new PointerByReference();
    if (arv.arv_camera_is_gv_device(camera) != 0) {
      // The largest packet the network path carries; a failed probe keeps the camera's default.
      arv.arv_camera_gv_auto_packet_size(camera, error);
      if (error.getValue() != null) {
        try {
          runtime.check(error, "packet size negotiation");
        } catch (CameraException e) {
          LOG.debug("Source '{}': {}", sourceName, e.getMessage());
        }
      }
    }
    if (!settings.pixelFormat().isBlank()) {
      List<String> available = availablePixelFormats();
      if (!available.isEmpty() && !available.contains(settings.pixelFormat())) {
        throw new CameraException(description + " offers no pixel format " + settings.pixelFormat()
            + "; it offers " + String.join(", ", available));
      }
      arv.arv_camera_set_pixel_format_from_string(camera, settings.pixelFormat(), error);
      runtime.check(error, "setting pixel format " + settings.pixelFormat());
    }
    if (settings.hasRegion()) {
      arv.arv_camera_set_region(camera, settings.regionX(), settings.regionY(), settings.regionWidth(),
          settings.regionHeight(), error);
      runtime.check(error, "setting region " + settings.regionWidth() + "x" + settings.regionHeight() + "+"
          + settings.regionX() + "+" + settings.regionY());
    }
    if (settings.exposureMicroseconds() > 0) {
      boolean available = arv.arv_camera_is_exposure_time_available(camera, error) != 0;
      runtime.check(error, "asking for exposure time");
      if (available) {
        arv.arv_camera_set_exposure_time(camera, settings.exposureMicroseconds(), error);
        runtime.check(error, "setting exposure time " + settings.exposureMicroseconds() + " us");
      } else {
        LOG.warn("Source '{}': {} has no exposure time setting; left as it is", sourceName, description);
      }
    }
    if (settings.frameRate() > 0) {
      boolean available = arv.arv_camera_is_frame_rate_available(camera, error) != 0;
      runtime.check(error, "asking for frame rate");
      if (available) {
        arv.arv_camera_set_frame_rate(camera, settings.frameRate(), error);
        runtime.check(error, "setting frame rate " + settings.frameRate());
      } else {
        LOG.warn("Source '{}': {} has no frame rate setting; left as it is", sourceName, description);
      }
    }
    switch (settings.trigger()) {
      case FREE_RUN -> {
        arv.arv_camera_clear_triggers(camera, error);
        runtime.check(error, "switching triggers off");
      }
      case SOFTWARE -> {
        boolean supported = arv.arv_camera_is_software_trigger_supported(camera, error) != 0;
        runtime.check(error, "asking for software trigger");
        if (!supported) {
          throw new CameraException(description + " has no software trigger");
        }
        arv.arv_camera_set_trigger(camera, "Software", error);
        runtime.check(error, "setting the software trigger");
      }
      case HARDWARE -> {
        arv.arv_camera_set_trigger(camera, settings.triggerSource(), error);
        runtime.check(error, "setting the trigger on " + settings.triggerSource());
      }
    }
    arv.arv_camera_set_acquisition_mode(camera, AravisLibrary.ACQUISITION_MODE_CONTINUOUS, error);
    runtime.check(error, "setting continuous acquisition");
  }

  private List<String> availablePixelFormats() throws CameraException {
    PointerByReference error = new PointerByReference();
    IntByReference count = new IntByReference();
    Pointer array = arv.arv_camera_dup_available_pixel_formats_as_strings(camera, count, error);
    runtime.check(error, "listing pixel formats");
    List<String> formats = new ArrayList<>();
    if (array != null) {
      for (int i = 0; i < count.getValue(); i++) {
        Pointer name = array.getPointer((long) i * com.sun.jna.Native.POINTER_SIZE);
        if (name != null) {
          formats.add(name.getString(0));
        }
      }
      // The strings belong to the camera; only the array is ours.
      runtime.bindings().glib().g_free(array);
    }
    return formats;
  }

  private void startStreaming(int bufferCount) throws CameraException {
    PointerByReference error = new PointerByReference();
    int payload = arv.arv_camera_get_payload(camera, error);
    runtime.check(error, "reading the payload size");
    stream = arv.arv_camera_create_stream(camera, null, null, error);
    runtime.check(error, "creating the stream of " + description);
    if (stream == null) {
      throw new CameraException("cannot create the stream of " + description);
    }
    for (int i = 0; i < bufferCount; i++) {
      arv.arv_stream_push_buffer(stream, arv.arv_buffer_new(new NativeLong(payload), null));
    }
    arv.arv_camera_start_acquisition(camera, error);
    runtime.check(error, "starting acquisition on " + description);
    acquiring = true;
  }

  /** Asks for one image (software trigger mode). */
  void softwareTrigger() throws CameraException {
    PointerByReference error = new PointerByReference();
    arv.arv_camera_software_trigger(camera, error);
    runtime.check(error, "software trigger");
  }

  /** Reads a setting to learn whether the camera still answers (used while no frame is due). */
  void ping() throws CameraException {
    PointerByReference error = new PointerByReference();
    arv.arv_camera_get_pixel_format_as_string(camera, error);
    runtime.check(error, description + " does not answer");
  }

  /**
   * The next complete image, waiting at most {@code timeout}; null when none came in time. An
   * incomplete image (lost packets) is skipped and counted.
   */
  RawFrame grab(Duration timeout, int[] incomplete) {
    Pointer buffer = arv.arv_stream_timeout_pop_buffer(stream, Math.max(1, timeout.toNanos() / 1000));
    if (buffer == null) {
      return null;
    }
    try {
      if (arv.arv_buffer_get_status(buffer) != AravisLibrary.BUFFER_STATUS_SUCCESS) {
        incomplete[0]++;
        return null;
      }
      NativeLongByReference size = new NativeLongByReference();
      Pointer data = arv.arv_buffer_get_image_data(buffer, size);
      int width = arv.arv_buffer_get_image_width(buffer);
      int height = arv.arv_buffer_get_image_height(buffer);
      if (data == null || width <= 0 || height <= 0) {
        incomplete[0]++;
        return null;
      }
      int pixelFormat = arv.arv_buffer_get_image_pixel_format(buffer);
      int bytes = (int) size.getValue().longValue();
      int rowStride = PixelFormats.bytesPerPixel(pixelFormat) * width + rowPadding(buffer);
      byte[] copy = data.getByteArray(0, bytes);
      return new RawFrame(width, height, pixelFormat, rowStride, copy, arv.arv_buffer_get_system_timestamp(buffer),
          arv.arv_buffer_get_timestamp(buffer), arv.arv_buffer_get_frame_id(buffer));
    } finally {
      arv.arv_stream_push_buffer(stream, buffer);
    }
  }

  /** Bytes after each row; Aravis before 0.8.23 has no call for it, and no camera it knew padded. */
  private int rowPadding(Pointer buffer) {
    if (!paddingKnown) {
      return 0;
    }
    try {
      IntByReference xPadding = new IntByReference();
      IntByReference yPadding = new IntByReference();
      arv.arv_buffer_get_image_padding(buffer, xPadding, yPadding);
      return Math.max(0, xPadding.getValue());
    } catch (UnsatisfiedLinkError e) {
      paddingKnown = false;
      return 0;
    }
  }

  /** Stops acquisition and releases the stream and camera; safe to call on a half-opened one. */
  @Override
  public void close() {
    PointerByReference error = new PointerByReference();
    GLibrary.GObject gobject;
    try {
      gobject = runtime.bindings().gobject();
    } catch (CameraException e) {
      return; // nothing was opened without the libraries
    }
    if (acquiring) {
      acquiring = false;
      arv.arv_camera_stop_acquisition(camera, error);
      try {
        runtime.check(error, "stopping acquisition");
      } catch (CameraException e) {
        LOG.debug("{}: {}", description, e.getMessage()); // expected when the camera is gone
      }
    }
    runtime.globalLock().lock();
    try {
      if (stream != null) {
        gobject.g_object_unref(stream); // frees the buffers it holds
        stream = null;
      }
      if (camera != null) {
        gobject.g_object_unref(camera);
        camera = null;
      }
    } finally {
      runtime.globalLock().unlock();
    }
  }
}
