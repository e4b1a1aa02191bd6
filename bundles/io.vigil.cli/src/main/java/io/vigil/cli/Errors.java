package io.vigil.cli;

/** Error messages for the console. */
public final class Errors {
  private Errors() {}

  /** The exception's message followed by those of its causes that add something. */
  public static String describe(Throwable e) {
    StringBuilder message = new StringBuilder(e.getMessage() != null ? e.getMessage() : e.getClass().getName());
    for (Throwable cause = e.getCause(); cause != null && cause != e; cause = cause.getCause()) {
      if (cause.getMessage() != null && !message.toString().contains(cause.getMessage())) {
        message.append(": ").append(cause.getMessage());
      }
    }
    return message.toString();
  }
}
