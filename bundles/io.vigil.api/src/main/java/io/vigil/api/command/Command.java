package io.vigil.api.command;

import java.util.concurrent.Callable;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A verb of the headless command line ({@code ./vigil VERB ARGS...}), contributed as a service
 * with {@link #NAME_PROPERTY} by whichever bundle owns the work. The command line finds the verbs
 * in the service registry, so a bundle installed later adds its own.
 *
 * <p>The object {@link #newCommand} returns is a picocli command: its class is annotated with
 * {@code @picocli.CommandLine.Command} (the description's first line is the verb's summary in
 * {@code ./vigil --help}) and its options and parameters with {@code @Option} and
 * {@code @Parameters}. The command line parses the arguments into it (usage errors, {@code --help},
 * suggestions for mistyped options are its job) and then calls it.
 */
@ConsumerType
public interface Command {
  /** Service property: the verb, e.g. "train". */
  String NAME_PROPERTY = "vigil.command.name";

  /**
   * A fresh command object for one run, writing to {@code context}. Its {@code call()} runs the
   * verb to completion on the calling thread (an interrupt means the user asked to stop) and
   * returns the exit status: 0 success, 1 failure; picocli answers bad usage with 2. An exception
   * it throws ends the run with status 1 and its message.
   */
  Callable<Integer> newCommand(CommandContext context);
}
