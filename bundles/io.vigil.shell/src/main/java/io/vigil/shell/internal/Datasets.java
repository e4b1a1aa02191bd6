package io.vigil.shell.internal;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Finds the data set format of a directory and opens one of its splits. */
final class Datasets {
  private Datasets() {}

  /**
   * Opens {@code preferredSplit} of the directory, or the only split of a format that has just
   * one (a plain folder of images).
   */
  static ImageSource open(List<DatasetFormat> formats, Path directory, String preferredSplit) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("no such directory: " + directory);
    }
    for (DatasetFormat format : formats) {
      if (format.recognizes(directory)) {
        List<String> splits = format.splits(directory);
        if (splits.contains(preferredSplit)) {
          return format.open(directory, preferredSplit);
        }
        if (splits.size() == 1) {
          return format.open(directory, splits.get(0));
        }
        throw new IOException(directory + " is a " + format.name() + " data set without a '" + preferredSplit
            + "' split (it has " + splits + ")");
      }
    }
    throw new IOException(directory + " is not a data set layout this station reads (formats installed: "
        + formats.stream().map(DatasetFormat::name).toList() + ")");
  }
}
