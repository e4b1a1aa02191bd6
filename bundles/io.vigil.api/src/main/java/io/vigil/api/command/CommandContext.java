package io.vigil.api.command;

import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.osgi.annotation.versioning.ProviderType;

/** Where a command reads and writes. */
@ProviderType
public interface CommandContext {
  PrintStream out();

  PrintStream err();

  InputStream in();

  /** The directory the user started {@code ./vigil} in; relative paths resolve against it. */
  Path workingDirectory();

  /** True when standard output is a terminal, so progress bars may redraw in place. */
  boolean interactive();
}
