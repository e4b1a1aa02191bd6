package io.vigil.api.source;

/** One item of a stream could not be turned into a frame; the stream itself goes on. */
public class FrameReadException extends Exception {
  private static final long serialVersionUID = 1L;
  private final String origin;

  public FrameReadException(String origin, String message, Throwable cause) {
    super(origin + ": " + message, cause);
    this.origin = origin;
  }

  /** Where the unreadable item came from (a file path, a camera id). */
  public String origin() {
    return origin;
  }
}
