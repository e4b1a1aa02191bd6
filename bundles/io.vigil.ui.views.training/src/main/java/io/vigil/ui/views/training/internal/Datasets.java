package io.vigil.ui.views.training.internal;

import io.vigil.api.source.DatasetFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/** Which registered data set format reads a folder, and its splits. Off the UI thread: it reads the disk. */
final class Datasets {
  private Datasets() {}

  /** A folder recognised by a format, with the splits it has. */
  record Recognized(Path root, DatasetFormat format, List<String> splits) {}

  /**
   * The most specific format (formats come ordered by ranking, highest first) that recognises
   * {@code root}, with its splits.
   *
   * @throws IOException naming the folder when it is missing, holds several categories, or no
   *     format reads it
   */
  static Recognized recognize(List<DatasetFormat> formatsByRanking, Path root) throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(root.toString(), null, "no such folder");
    }
    for (DatasetFormat format : formatsByRanking) {
      if (format.recognizes(root)) {
        List<String> categories = format.categories(root);
        if (!categories.isEmpty()) {
          throw new IOException(root + " is a whole " + format.name() + " data set; choose one of its categories: "
              + String.join(", ", categories));
        }
        return new Recognized(root, format, format.splits(root));
      }
    }
    throw new IOException("no installed data set format reads " + root + " (formats: "
        + String.join(", ", formatsByRanking.stream().map(DatasetFormat::name).toList()) + ")");
  }

  /** The split to preselect: {@code preferred} when present, else the first. */
  static String defaultSplit(List<String> splits, String preferred) {
    return splits.contains(preferred) ? preferred : splits.isEmpty() ? null : splits.get(0);
  }
}
