package io.vigil.detector.common.model;

/** A model document that cannot be used: another algorithm's, an unknown format version, unreadable. */
public final class ModelFormatException extends Exception {
  private static final long serialVersionUID = 1L;

  public ModelFormatException(String message) {
    super(message);
  }

  public ModelFormatException(String message, Throwable cause) {
    super(message, cause);
  }
}
