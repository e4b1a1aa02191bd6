package io.vigil.source.camera.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

@ObjectClassDefinition(
    name = "Vigil camera source",
    description = "A GigE Vision or USB3 Vision camera (through Aravis) as a live image source. One configuration "
        + "per camera. Zero or empty settings leave the camera's own value.")
@interface CameraSourceConfiguration {

  @AttributeDefinition(
      name = "Source name",
      description = "Unique name of this source; the station selects it with (vigil.source.name=NAME).")
  String vigil_source_name();

  @AttributeDefinition(
      name = "Camera",
      description = "Aravis device id as './vigil cameras' lists it (e.g. Basler-21234567), or the camera's IP "
          + "address; empty for the first camera found.")
  String device_id() default "";

  @AttributeDefinition(
      name = "Pixel format",
      description = "GenICam pixel format: Mono8, Mono10/12/14/16, RGB8, BGR8, RGBa8, BayerRG8, BayerGR8, BayerGB8, "
          + "BayerBG8 (or 10/12/16 bit); Bayer images are converted to RGB. Empty: the camera's current format.")
  String pixel_format() default "";

  @AttributeDefinition(name = "Region x", description = "Left edge of the region of interest, pixels.", min = "0")
  int region_x() default 0;

  @AttributeDefinition(name = "Region y", description = "Top edge of the region of interest, pixels.", min = "0")
  int region_y() default 0;

  @AttributeDefinition(name = "Region width", description = "Width of the region of interest; 0: keep.", min = "0")
  int region_width() default 0;

  @AttributeDefinition(name = "Region height", description = "Height of the region of interest; 0: keep.", min = "0")
  int region_height() default 0;

  @AttributeDefinition(
      name = "Exposure (us)",
      description = "Exposure time in microseconds, where the camera offers it; 0: keep.",
      min = "0")
  double exposure_us() default 0;

  @AttributeDefinition(
      name = "Frame rate",
      description = "Frames per second in free-running mode, where the camera offers it; 0: keep.",
      min = "0")
  double frame_rate() default 0;

  @AttributeDefinition(
      name = "Trigger",
      description = "FREE_RUN: continuous. SOFTWARE: one image whenever the station asks for a frame. HARDWARE: "
          + "one image per signal on the trigger line.",
      options = {
        @Option(label = "Free running", value = "FREE_RUN"),
        @Option(label = "Software (on demand)", value = "SOFTWARE"),
        @Option(label = "Hardware (trigger line)", value = "HARDWARE")
      })
  Trigger trigger() default Trigger.FREE_RUN;

  @AttributeDefinition(name = "Trigger line", description = "The camera input for HARDWARE triggers, e.g. Line1.")
  String trigger_source() default "Line1";

  @AttributeDefinition(
      name = "Stream timeout (ms)",
      description = "How long without an expected image before the camera counts as lost and is reopened.",
      min = "100")
  long stream_timeout_ms() default 3000;

  @AttributeDefinition(name = "Buffers", description = "Image buffers queued in Aravis's stream.", min = "2")
  int buffers() default 8;

  @AttributeDefinition(
      name = "Frames queued per reader",
      description = "Images waiting for a slow reader; beyond that the oldest are dropped.",
      min = "1")
  int queue_frames() default 4;

  @AttributeDefinition(
      name = "First retry after (ms)",
      description = "Wait before the first reconnection attempt; doubled after each failure.",
      min = "10")
  long reconnect_initial_ms() default 500;

  @AttributeDefinition(name = "Longest retry wait (ms)", description = "The doubling stops here.", min = "10")
  long reconnect_max_ms() default 10000;

  @AttributeDefinition(
      name = "Release after (ms)",
      description = "With no reader for this long the camera is closed (and free for other applications).",
      min = "0")
  long idle_disconnect_ms() default 10000;
}
