package io.vigil.api.detector;

/** A model could not be saved or loaded: missing files, wrong version, wrong backbone. */
public class ModelException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelException(String message, Throwable cause) {
    super(message, cause);
  }

  public ModelException(String message) {
    super(message);
  }
}
