package io.vigil.dataset.capture.internal;

import io.vigil.dataset.capture.CaptureFolder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What {@code ./vigil capture} was asked to do. Parsed here, apart from the command, so the
 * options move to another command-line library without touching the capture itself.
 *
 * @param source          the image source's name ({@code vigil.source.name})
 * @param out             the data set's root folder
 * @param as              train/good, test/good or test/TYPE
 * @param count           how many images to save; 0 for as many as come until stopped
 * @param every           the least time between two saved frames; zero saves every frame
 * @param softwareTrigger one frame per line on standard input (an operator's Enter, a robot's script)
 */
record CaptureOptions(String source, Path out, String as, int count, Duration every, boolean softwareTrigger) {

  static final String USAGE = String.join(System.lineSeparator(),
      "Usage: ./vigil capture --source NAME --out DIR --as train/good|test/good|test/TYPE [--count N]",
      "                       [--every MS | --trigger software]",
      "Saves frames of a registered image source (a camera, a watched folder) as lossless PNG (8 or 16 bit as",
      "captured) into DIR in the MVTec AD layout, numbered on from the images there (000.png, 001.png, ...);",
      "an existing file is never replaced. Each image gets a row in DIR/capture.csv (file, time, source,",
      "frame id, size, the source's settings and the frame's metadata).",
      "  --source NAME       the image source (vigil.source.name; ./vigil shell: vigil:sources lists them)",
      "  --out DIR           the data set's folder (created with train/good, test and ground_truth)",
      "  --as FOLDER         train/good, test/good or test/TYPE for a defect type",
      "  --count N           stop after N images (default: until Ctrl-C, or the end of a finite source)",
      "  --every MS          save at most one frame every MS milliseconds, skipping those between",
      "  --trigger software  save one frame per line read from standard input (Enter); ends at end of input");

  /** Checks the options picocli parsed: what each means alone and together. */
  static CaptureOptions of(String source, String out, String as, Integer count, Integer everyMillis, String trigger) {
    List<String> arguments = new java.util.ArrayList<>(List.of("--source", source, "--out", out, "--as", as));
    if (count != null) {
      arguments.addAll(List.of("--count", count.toString()));
    }
    if (everyMillis != null) {
      arguments.addAll(List.of("--every", everyMillis.toString()));
    }
    if (trigger != null) {
      arguments.addAll(List.of("--trigger", trigger));
    }
    return parse(arguments);
  }

  static CaptureOptions parse(List<String> arguments) {
    String source = null;
    String out = null;
    String as = null;
    int count = 0;
    Duration every = Duration.ZERO;
    boolean softwareTrigger = false;
    boolean everyGiven = false;
    for (int i = 0; i < arguments.size(); i++) {
      String option = arguments.get(i);
      String value = i + 1 < arguments.size() ? arguments.get(i + 1) : null;
      if (value == null) {
        throw new IllegalArgumentException(option.startsWith("--")
            ? option + " needs a value" : "unexpected argument '" + option + "'");
      }
      i++;
      switch (option) {
        case "--source" -> source = value;
        case "--out" -> out = value;
        case "--as" -> as = value;
        case "--count" -> count = positive(option, value);
        case "--every" -> {
          every = Duration.ofMillis(positive(option, value));
          everyGiven = true;
        }
        case "--trigger" -> {
          if (!"software".equals(value)) {
            throw new IllegalArgumentException("--trigger takes 'software', not '" + value + "'");
          }
          softwareTrigger = true;
        }
        default -> throw new IllegalArgumentException("unexpected argument '" + option + "'");
      }
    }
    if (source == null || out == null || as == null) {
      throw new IllegalArgumentException("--source, --out and --as are needed");
    }
    if (everyGiven && softwareTrigger) {
      throw new IllegalArgumentException("--every and --trigger software exclude each other");
    }
    CaptureFolder.parse(Path.of(out), as); // says what is wrong with --as before anything is opened
    return new CaptureOptions(source, Path.of(out), as, count, every, softwareTrigger);
  }

  private static int positive(String option, String value) {
    try {
      int number = Integer.parseInt(value);
      if (number > 0) {
        return number;
      }
    } catch (NumberFormatException e) {
      // said below
    }
    throw new IllegalArgumentException(option + " needs a positive whole number, not '" + value + "'");
  }
}
