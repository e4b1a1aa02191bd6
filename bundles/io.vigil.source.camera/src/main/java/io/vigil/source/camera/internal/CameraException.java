package io.vigil.source.camera.internal;

import java.io.IOException;

/** A camera could not be found, opened, configured or read. */
class CameraException extends IOException {
  private static final long serialVersionUID = 1L;

  CameraException(String message) {
    super(message);
  }

  CameraException(String message, Throwable cause) {
    super(message, cause);
  }
}
