package io.vigil.itest;

import io.vigil.api.command.CommandContext;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** A command's console for tests: captured streams, not a terminal, working in {@code directory}. */
final class CapturedConsole implements CommandContext {
  private final Path directory;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  private final PrintStream outStream = new PrintStream(out, true, StandardCharsets.UTF_8);
  private final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);

  CapturedConsole(Path directory) {
    this.directory = directory;
  }

  @Override
  public PrintStream out() {
    return outStream;
  }

  @Override
  public PrintStream err() {
    return errStream;
  }

  /** What the command printed on standard output. */
  String printed() {
    return out.toString(StandardCharsets.UTF_8);
  }

  /** What it printed on standard error. */
  String errors() {
    return err.toString(StandardCharsets.UTF_8);
  }

  @Override
  public InputStream in() {
    return new ByteArrayInputStream(new byte[0]);
  }

  @Override
  public Path workingDirectory() {
    return directory;
  }

  @Override
  public boolean interactive() {
    return false;
  }
}
