package io.vigil.image;

import java.io.IOException;
import java.nio.file.Path;

/** A file exists but is not a decodable image (corrupt, truncated, unsupported format). */
public class ImageFormatException extends IOException {
  private static final long serialVersionUID = 1L;
  private final transient Path file;

  public ImageFormatException(Path file, String message, Throwable cause) {
    super(file + ": " + message, cause);
    this.file = file;
  }

  public Path file() {
    return file;
  }
}
