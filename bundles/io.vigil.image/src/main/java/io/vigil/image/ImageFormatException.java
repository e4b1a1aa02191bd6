package io.vigil.image;

import java.io.IOException;
import java.nio.file.Path;

/** A file exists but is not a decodable image (corrupt, truncated, unsupported format, wrong size). */
public class ImageFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;
  private final String reason;

  public ImageFormatException(Path file, String reason, Throwable cause) {
    super(file + ": " + reason, cause);
    this.file = file;
    this.reason = reason;
  }

  public Path file() {
    return file;
  }

  /** What is wrong, without the file name. */
  public String reason() {
    return reason;
  }
}
