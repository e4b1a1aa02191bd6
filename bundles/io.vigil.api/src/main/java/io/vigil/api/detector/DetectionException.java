package io.vigil.api.detector;

/** An image could not be scored. */
public class DetectionException extends Exception {
  private static final long serialVersionUID = 1L;

  public DetectionException(String message, Throwable cause) {
    super(message, cause);
  }

  public DetectionException(String message) {
    super(message);
  }
}
