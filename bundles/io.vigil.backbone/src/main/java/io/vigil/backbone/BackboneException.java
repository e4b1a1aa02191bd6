package io.vigil.backbone;

/** A backbone could not be loaded: weights missing or wrong, engine unavailable. */
public class BackboneException extends Exception {
  private static final long serialVersionUID = 1L;

  public BackboneException(String message, Throwable cause) {
    super(message, cause);
  }

  public BackboneException(String message) {
    super(message);
  }
}
