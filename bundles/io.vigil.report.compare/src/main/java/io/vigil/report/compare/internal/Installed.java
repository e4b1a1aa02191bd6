package io.vigil.report.compare.internal;

import io.vigil.api.detector.DetectorFactory;
import io.vigil.api.source.DatasetFormat;
import java.nio.file.Path;
import java.util.List;

/** Finding what the commands train with among the services bound now; the errors name what there is. */
final class Installed {
  private Installed() {}

  /** The factory of {@code algorithm}. */
  static DetectorFactory factory(List<DetectorFactory> factories, String algorithm) {
    return factories.stream().filter(f -> f.algorithm().equals(algorithm)).findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no detector '" + algorithm + "' installed; installed: "
            + factories.stream().map(DetectorFactory::algorithm).toList()));
  }

  /**
   * The best-ranked format that recognises {@code data}. DS sorts a reference list as
   * ServiceReference.compareTo does: the highest ranking comes last.
   */
  static DatasetFormat format(List<DatasetFormat> formats, Path data) {
    for (int i = formats.size() - 1; i >= 0; i--) {
      if (formats.get(i).recognizes(data)) {
        return formats.get(i);
      }
    }
    throw new IllegalArgumentException("no installed data set format recognises " + data);
  }
}
