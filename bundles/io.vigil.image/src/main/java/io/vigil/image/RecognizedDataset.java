package io.vigil.image;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * A folder recognised by a data set format, with its splits: what the train and evaluate
 * commands and views need before they open a split. Reads the disk: keep it off UI threads.
 *
 * @param root   the category folder
 * @param format the most specific format that reads it
 * @param splits the splits it has
 */
public record RecognizedDataset(Path root, DatasetFormat format, List<String> splits) {

  /**
   * The first format that recognises {@code root}, formats given highest ranking first (a
   * specific layout before the plain folder).
   *
   * @throws IOException naming the folder when it is missing, holds several categories, or no
   *     format reads it
   */
  public static RecognizedDataset recognize(List<DatasetFormat> formatsByRanking, Path root) throws IOException {
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
        return new RecognizedDataset(root, format, format.splits(root));
      }
    }
    throw new IOException("no installed data set format reads " + root + " (formats: "
        + String.join(", ", formatsByRanking.stream().map(DatasetFormat::name).toList()) + ")");
  }

  /** {@code preferred} when this data set has it, else its first split (a plain folder has one). */
  public String split(String preferred) {
    return splits.contains(preferred) ? preferred : splits.isEmpty() ? null : splits.get(0);
  }

  /** Opens {@link #split(String)} of {@code preferred}. */
  public ImageSource open(String preferred) throws IOException {
    String split = split(preferred);
    if (split == null) {
      throw new IOException(root + " (" + format.name() + ") has no split to read");
    }
    return format.open(root, split);
  }
}
