package io.vigil.api.command;

import java.util.List;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The {@code ./vigil} command line as a service: runs {@code ARGS} the way the launcher does
 * (help, version, completion, usage errors with suggestions, the verb itself), against the
 * {@link Command}s registered now.
 */
@ProviderType
public interface CommandDispatcher {
  /**
   * @param arguments what follows {@code ./vigil}, e.g. {@code ["eval", "--model", "m"]}
   * @return the exit status: 0 success, 1 failure, 2 bad usage
   * @throws Exception what the command itself threw (the launcher prints its message and exits with 1)
   */
  int run(List<String> arguments, CommandContext context) throws Exception;
}
