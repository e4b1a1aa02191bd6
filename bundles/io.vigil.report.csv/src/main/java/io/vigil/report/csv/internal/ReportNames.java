package io.vigil.report.csv.internal;

import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.image.Frame;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/**
 * Names of an image's files in the report, the same in every writer of one run: writers see the
 * frames in the same order, so each one's allocator hands out the same names.
 */
final class ReportNames {
  private final EvaluationRun run;
  private final Set<String> taken = new HashSet<>();

  ReportNames(EvaluationRun run) {
    this.run = run;
  }

  /** The image's path relative to the data set root (with '/'), or its frame id when it has no file there. */
  String relativePath(Frame frame) {
    try {
      Path origin = Path.of(frame.origin()).toAbsolutePath().normalize();
      if (origin.startsWith(run.data())) {
        return run.data().relativize(origin).toString().replace('\\', '/');
      }
    } catch (InvalidPathException e) {
      // A camera id or other non-path origin.
    }
    return frame.id();
  }

  /**
   * {@code <defect>/<name>} without extension for the image's files, as the MVTec AD evaluation
   * script lays out anomaly maps; a name seen twice in one defect type gets a suffix.
   */
  String stem(Frame frame) {
    String defect = safe(frame.groundTruth().defectType());
    String file = relativePath(frame);
    file = file.substring(file.lastIndexOf('/') + 1);
    int dot = file.lastIndexOf('.');
    String name = safe(dot > 0 ? file.substring(0, dot) : file);
    String stem = defect + "/" + name;
    for (int i = 2; !taken.add(stem); i++) {
      stem = defect + "/" + name + "_" + i;
    }
    return stem;
  }

  /** Keeps names to characters every file system accepts. */
  private static String safe(String name) {
    String cleaned = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return cleaned.isEmpty() || cleaned.startsWith(".") ? "_" + cleaned : cleaned;
  }
}
