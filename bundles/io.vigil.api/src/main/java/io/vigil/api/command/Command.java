package io.vigil.api.command;

import java.util.List;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A verb of the headless command line ({@code ./vigil VERB ARGS...}), contributed as a service
 * by whichever bundle owns the work, with {@link #NAME_PROPERTY} and {@link #SUMMARY_PROPERTY}.
 */
@ConsumerType
public interface Command {
  /** Service property: the verb, e.g. "train". */
  String NAME_PROPERTY = "vigil.command.name";
  /** Service property: one line for {@code ./vigil --help}. */
  String SUMMARY_PROPERTY = "vigil.command.summary";

  /** The usage text shown for {@code ./vigil VERB --help} and on bad arguments. */
  String usage();

  /**
   * Runs the verb to completion on the calling thread; an interrupt means the user asked to stop.
   *
   * @return the process exit status: 0 success, 1 failure, 2 bad usage
   */
  int run(List<String> arguments, CommandContext context) throws Exception;
}
