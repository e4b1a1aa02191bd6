package io.vigil.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecognizedDatasetTest {

  @Test
  void theMostSpecificFormatWinsAndItsTrainSplitIsPreselected(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("train/good"));
    DatasetFormat specific = new FakeFormat("mvtec-ad", true, List.of(), List.of("test", "train"));
    DatasetFormat folder = new FakeFormat("folder", true, List.of(), List.of("all"));
    RecognizedDataset found = RecognizedDataset.recognize(List.of(specific, folder), root);
    assertSame(specific, found.format());
    assertEquals("train", found.split("train"));
    assertEquals("all", new RecognizedDataset(root, folder, List.of("all", "good")).split("train"));
  }

  @Test
  void unreadableFoldersSayWhy(@TempDir Path root) throws Exception {
    IOException missing = assertThrows(IOException.class, () -> RecognizedDataset.recognize(List.of(), root.resolve("nope")));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    IOException unknown = assertThrows(IOException.class,
        () -> RecognizedDataset.recognize(List.of(new FakeFormat("visa", false, List.of(), List.of())), root));
    assertTrue(unknown.getMessage().contains("no installed data set format reads"), unknown.getMessage());
    IOException whole = assertThrows(IOException.class,
        () -> RecognizedDataset.recognize(List.of(new FakeFormat("mvtec-ad", true, List.of("bottle", "cable"), List.of())), root));
    assertTrue(whole.getMessage().contains("bottle, cable"), whole.getMessage());
  }

  private record FakeFormat(String name, boolean recognizes, List<String> categories, List<String> splits)
      implements DatasetFormat {
    @Override
    public boolean recognizes(Path root) {
      return recognizes;
    }

    @Override
    public List<String> splits(Path root) {
      return splits;
    }

    @Override
    public List<String> categories(Path root) {
      return categories;
    }

    @Override
    public ImageSource open(Path root, String split) {
      throw new UnsupportedOperationException();
    }
  }
}
