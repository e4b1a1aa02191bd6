package io.vigil.shell.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Command-line options: {@code --name VALUE} pairs, bare {@code --flag}s and positional arguments. */
final class Options {
  private final Map<String, List<String>> values = new LinkedHashMap<>();
  private final List<String> positional = new ArrayList<>();

  private Options() {}

  /**
   * @param valued names that take a value (may repeat)
   * @param flags names that take none
   * @throws IllegalArgumentException on an unknown option or a missing value
   */
  static Options parse(List<String> args, Set<String> valued, Set<String> flags) {
    Options options = new Options();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if (arg.startsWith("--") && arg.length() > 2) {
        String name = arg.substring(2);
        if (flags.contains(name)) {
          options.values.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
        } else if (valued.contains(name)) {
          if (i + 1 >= args.size()) {
            throw new IllegalArgumentException(arg + " needs a value");
          }
          options.values.computeIfAbsent(name, k -> new ArrayList<>()).add(args.get(++i));
        } else {
          throw new IllegalArgumentException("unknown option " + arg);
        }
      } else {
        options.positional.add(arg);
      }
    }
    return options;
  }

  boolean has(String name) {
    return values.containsKey(name);
  }

  String get(String name) {
    List<String> list = values.get(name);
    return list == null ? null : list.get(list.size() - 1);
  }

  String require(String name) {
    String value = get(name);
    if (value == null) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return value;
  }

  List<String> all(String name) {
    return values.getOrDefault(name, List.of());
  }

  Path path(String name, Path workingDirectory) {
    String value = get(name);
    return value == null ? null : workingDirectory.resolve(value).normalize();
  }

  int integer(String name, int defaultValue) {
    String value = get(name);
    if (value == null) {
      return defaultValue;
    }
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " needs a whole number, not '" + value + "'");
    }
  }

  List<String> positional() {
    return positional;
  }
}
