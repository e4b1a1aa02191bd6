package io.vigil.api.evaluation;

/** An evaluation could not run or complete: the message says which input is at fault. */
public class EvaluationException extends Exception {
  private static final long serialVersionUID = 1L;

  public EvaluationException(String message) {
    super(message);
  }

  public EvaluationException(String message, Throwable cause) {
    super(message, cause);
  }
}
