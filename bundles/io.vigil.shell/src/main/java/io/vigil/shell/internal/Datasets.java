package io.vigil.shell.internal;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import io.vigil.image.RecognizedDataset;
import java.io.IOException;
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
  static ImageSource open(List<DatasetFormat> formatsByRanking, Path directory, String preferredSplit)
      throws IOException {
    RecognizedDataset dataset = RecognizedDataset.recognize(formatsByRanking, directory);
    if (!dataset.splits().contains(preferredSplit) && dataset.splits().size() != 1) {
      throw new IOException(directory + " is a " + dataset.format().name() + " data set without a '" + preferredSplit
          + "' split (it has " + dataset.splits() + ")");
    }
    return dataset.open(preferredSplit);
  }
}
