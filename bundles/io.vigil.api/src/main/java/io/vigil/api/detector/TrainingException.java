package io.vigil.api.detector;

/** Training failed: no usable images, bad parameters, an engine error. */
public class TrainingException extends Exception {
  private static final long serialVersionUID = 1L;

  public TrainingException(String message, Throwable cause) {
    super(message, cause);
  }

  public TrainingException(String message) {
    super(message);
  }
}
