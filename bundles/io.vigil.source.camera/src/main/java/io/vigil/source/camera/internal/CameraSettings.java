package io.vigil.source.camera.internal;

import java.time.Duration;

/**
 * What to open and how to set it up; zero or blank means "leave the camera's own setting".
 *
 * @param deviceId      Aravis device id, physical id or IP address; blank for the first camera found
 * @param pixelFormat   GenICam pixel format name (Mono8, Mono16, RGB8, BayerRG8, ...)
 * @param streamTimeout how long without an expected frame before the camera counts as lost
 */
record CameraSettings(
    String deviceId,
    String pixelFormat,
    int regionX,
    int regionY,
    int regionWidth,
    int regionHeight,
    double exposureMicroseconds,
    double frameRate,
    Trigger trigger,
    String triggerSource,
    Duration streamTimeout,
    int buffers) {

  boolean hasRegion() {
    return regionWidth > 0 && regionHeight > 0;
  }

  /** For messages: the id, or "the first camera found". */
  String describeDevice() {
    return deviceId.isBlank() ? "the first camera found" : "camera '" + deviceId + "'";
  }
}
