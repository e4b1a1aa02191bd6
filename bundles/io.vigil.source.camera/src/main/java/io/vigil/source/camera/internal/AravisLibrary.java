package io.vigil.source.camera.internal;

import com.sun.jna.Library;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.IntByReference;
import com.sun.jna.ptr.NativeLongByReference;
import com.sun.jna.ptr.PointerByReference;

/**
 * The part of Aravis 0.8's C API ({@code libaravis-0.8.so.0}) Vigil calls, mapped by JNA. Objects
 * (ArvCamera, ArvStream, ArvBuffer) are opaque pointers; {@code GError **} is a
 * {@link PointerByReference} that holds a GError to read and free when the call failed.
 */
interface AravisLibrary extends Library {
  int ACQUISITION_MODE_CONTINUOUS = 0;
  int BUFFER_STATUS_SUCCESS = 0;

  // Discovery (global state: callers serialise these).
  void arv_update_device_list();

  int arv_get_n_devices();

  String arv_get_device_id(int index);

  String arv_get_device_vendor(int index);

  String arv_get_device_model(int index);

  String arv_get_device_serial_nbr(int index);

  String arv_get_device_protocol(int index);

  String arv_get_device_address(int index);

  // Camera.
  Pointer arv_camera_new(String name, PointerByReference error);

  String arv_camera_get_vendor_name(Pointer camera, PointerByReference error);

  String arv_camera_get_model_name(Pointer camera, PointerByReference error);

  String arv_camera_get_device_id(Pointer camera, PointerByReference error);

  int arv_camera_is_gv_device(Pointer camera);

  int arv_camera_gv_auto_packet_size(Pointer camera, PointerByReference error);

  String arv_camera_get_pixel_format_as_string(Pointer camera, PointerByReference error);

  Pointer arv_camera_dup_available_pixel_formats_as_strings(Pointer camera, IntByReference count, PointerByReference error);

  void arv_camera_set_pixel_format_from_string(Pointer camera, String format, PointerByReference error);

  void arv_camera_set_region(Pointer camera, int x, int y, int width, int height, PointerByReference error);

  void arv_camera_get_region(
      Pointer camera, IntByReference x, IntByReference y, IntByReference width, IntByReference height,
      PointerByReference error);

  int arv_camera_is_exposure_time_available(Pointer camera, PointerByReference error);

  void arv_camera_set_exposure_time(Pointer camera, double microseconds, PointerByReference error);

  int arv_camera_is_frame_rate_available(Pointer camera, PointerByReference error);

  void arv_camera_set_frame_rate(Pointer camera, double framesPerSecond, PointerByReference error);

  void arv_camera_set_acquisition_mode(Pointer camera, int mode, PointerByReference error);

  void arv_camera_clear_triggers(Pointer camera, PointerByReference error);

  void arv_camera_set_trigger(Pointer camera, String source, PointerByReference error);

  int arv_camera_is_software_trigger_supported(Pointer camera, PointerByReference error);

  void arv_camera_software_trigger(Pointer camera, PointerByReference error);

  int arv_camera_get_payload(Pointer camera, PointerByReference error);

  Pointer arv_camera_create_stream(Pointer camera, Pointer callback, Pointer userData, PointerByReference error);

  void arv_camera_start_acquisition(Pointer camera, PointerByReference error);

  void arv_camera_stop_acquisition(Pointer camera, PointerByReference error);

  // Stream and buffers.
  Pointer arv_buffer_new(NativeLong size, Pointer preallocated);

  void arv_stream_push_buffer(Pointer stream, Pointer buffer);

  Pointer arv_stream_timeout_pop_buffer(Pointer stream, long timeoutMicroseconds);

  int arv_buffer_get_status(Pointer buffer);

  Pointer arv_buffer_get_image_data(Pointer buffer, NativeLongByReference size);

  int arv_buffer_get_image_width(Pointer buffer);

  int arv_buffer_get_image_height(Pointer buffer);

  void arv_buffer_get_image_padding(Pointer buffer, IntByReference xPadding, IntByReference yPadding);

  int arv_buffer_get_image_pixel_format(Pointer buffer);

  long arv_buffer_get_timestamp(Pointer buffer);

  long arv_buffer_get_system_timestamp(Pointer buffer);

  long arv_buffer_get_frame_id(Pointer buffer);
}
