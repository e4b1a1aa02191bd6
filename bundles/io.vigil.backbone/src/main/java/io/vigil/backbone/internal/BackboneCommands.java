package io.vigil.backbone.internal;

import io.vigil.backbone.BackboneFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Argument parsing and factory lookup shared by the backbone commands. */
final class BackboneCommands {
  private BackboneCommands() {}

  /** Options of the form --name VALUE, plus the remaining positional arguments. */
  record Arguments(Map<String, String> options, List<String> positional) {
    String option(String name, String defaultValue) {
      return options.getOrDefault(name, defaultValue);
    }

    int intOption(String name, int defaultValue) {
      String value = options.get(name);
      try {
        return value == null ? defaultValue : Integer.parseInt(value);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("--" + name + " needs a number, not '" + value + "'");
      }
    }

    Path pathOption(String name, Path workingDirectory) {
      String value = options.get(name);
      return value == null ? null : workingDirectory.resolve(value);
    }
  }

  static Arguments parse(List<String> args, List<String> valued) {
    Map<String, String> options = new java.util.LinkedHashMap<>();
    List<String> positional = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--")) {
        String name = arg.substring(2);
        if (!valued.contains(name)) {
          throw new IllegalArgumentException("unknown option " + arg);
        }
        if (i + 1 >= args.size()) {
          throw new IllegalArgumentException(arg + " needs a value");
        }
        options.put(name, args.get(++i));
      } else {
        positional.add(arg);
      }
    }
    return new Arguments(options, positional);
  }

  /** The factory of that name; waits a moment for one whose bundle is still starting. */
  static BackboneFactory find(Supplier<List<BackboneFactory>> factories, String name) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    while (true) {
      for (BackboneFactory factory : factories.get()) {
        if (Objects.equals(factory.name(), name)) {
          return factory;
        }
      }
      if (System.nanoTime() > deadline) {
        List<String> names = factories.get().stream().map(BackboneFactory::name).toList();
        throw new IllegalArgumentException("no backbone '" + name + "'; available: " + names);
      }
      Thread.sleep(50);
    }
  }
}
