package io.vigil.shell.internal;

import io.vigil.api.command.Command;
import io.vigil.api.command.CommandContext;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.Charset;
import java.util.concurrent.Callable;
import io.vigil.cli.Errors;
import org.apache.felix.service.command.CommandProcessor;
import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Converter;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code ./vigil shell}: Gogo commands read line by line from standard input, so the shell works
 * both at a terminal and in scripts ({@code printf 'lb\n' | ./vigil shell}); it ends at end of
 * input or on {@code exit}.
 */
@Component(property = Command.NAME_PROPERTY + "=shell")
public class GogoShellCommand implements Command {
  private final CommandProcessor processor;

  @Activate
  public GogoShellCommand(@Reference CommandProcessor processor) {
    this.processor = processor;
  }

  @Override
  public Callable<Integer> newCommand(CommandContext context) {
    return new Shell(context);
  }

  @picocli.CommandLine.Command(name = "shell",
      description = {"Gogo shell on this station (lb, scr:list, vigil:status, ...); reads commands from stdin.",
          "Reads Gogo commands from standard input, one per line, until end of input or 'exit'. Try: lb (bundles), "
              + "scr:list (components), vigil:status, vigil:detectors, vigil:sources."})
  final class Shell implements Callable<Integer> {
    private final CommandContext context;

    Shell(CommandContext context) {
      this.context = context;
    }

    @Override
    public Integer call() throws Exception {
      return run(context);
    }
  }

  private int run(CommandContext context) throws Exception {
    PrintStream out = context.out();
    boolean interactive = context.interactive();
    int failures = 0;
    try (CommandSession session = processor.createSession(context.in(), out, context.err());
        BufferedReader reader = new BufferedReader(new InputStreamReader(context.in(), Charset.defaultCharset()))) {
      if (interactive) {
        out.println("Vigil shell. 'help' lists commands, 'exit' or Ctrl-D leaves.");
      }
      while (!Thread.currentThread().isInterrupted()) {
        if (interactive) {
          out.print("vigil> ");
          out.flush();
        }
        String line = reader.readLine();
        if (line == null) {
          break;
        }
        line = line.trim();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.equals("exit") || line.equals("quit")) {
          break;
        }
        try {
          Object result = session.execute(line);
          if (result != null) {
            out.println(session.format(result, Converter.INSPECT));
          }
        } catch (Exception e) {
          failures++;
          context.err().println("error: " + Errors.describe(e));
        }
        out.flush();
      }
    }
    return failures == 0 ? 0 : 1;
  }
}
