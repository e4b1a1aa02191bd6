package io.vigil.djl;

/** The deep learning engine did not start; the message says why and what to do. */
public class EngineUnavailableException extends Exception {
  private static final long serialVersionUID = 1L;

  public EngineUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
