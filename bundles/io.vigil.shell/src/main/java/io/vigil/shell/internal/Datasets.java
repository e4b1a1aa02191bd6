package io.vigil.shell.internal;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.osgi.framework.Constants;

/** Finds the data set format of a directory and opens one of its splits. */
final class Datasets {
  private Datasets() {}

  /** The formats, highest service ranking first: a specific layout wins over the plain folder. */
  static List<DatasetFormat> byRanking(List<Map.Entry<Map<String, Object>, DatasetFormat>> formats) {
    return formats.stream()
        .sorted(Comparator.comparingInt((Map.Entry<Map<String, Object>, DatasetFormat> e) -> ranking(e.getKey())).reversed())
        .map(Map.Entry::getValue)
        .toList();
  }

  private static int ranking(Map<String, Object> properties) {
    return properties.get(Constants.SERVICE_RANKING) instanceof Integer ranking ? ranking : 0;
  }

  /**
   * Opens {@code preferredSplit} of the directory with the first format that recognises it, or
   * the only split of a format that has just one (a plain folder of images).
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
