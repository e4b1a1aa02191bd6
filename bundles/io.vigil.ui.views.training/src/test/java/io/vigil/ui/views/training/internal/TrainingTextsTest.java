package io.vigil.ui.views.training.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.detector.TrainingProgress;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.ImageSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTextsTest {

  @Test
  void progressReadsAsPhaseStepLossAndTimes() {
    TrainingProgress progress = new TrainingProgress("epoch", 3, 8, 0.12345, Duration.ofSeconds(75), Duration.ofSeconds(9));
    assertEquals("epoch 3/8 · loss 0.1235 · 1 min 15 s elapsed · about 9 s left", TrainingPart.describe(progress));
    TrainingProgress early = new TrainingProgress("features", 0, 40, Double.NaN, Duration.ZERO, null);
    assertEquals("features 0/40 · 0 s elapsed", TrainingPart.describe(early));
  }

  @Test
  void theMostSpecificFormatWinsAndItsTrainSplitIsPreselected(@TempDir Path root) throws Exception {
    Files.createDirectories(root.resolve("train/good"));
    DatasetFormat specific = new FakeFormat("mvtec-ad", true, List.of(), List.of("test", "train"));
    DatasetFormat folder = new FakeFormat("folder", true, List.of(), List.of("all"));
    Datasets.Recognized found = Datasets.recognize(List.of(specific, folder), root);
    assertSame(specific, found.format());
    assertEquals("train", Datasets.defaultSplit(found.splits(), "train"));
    assertEquals("all", Datasets.defaultSplit(List.of("all", "good"), "train"));
  }

  @Test
  void unreadableFoldersSayWhy(@TempDir Path root) throws Exception {
    IOException missing = assertThrows(IOException.class, () -> Datasets.recognize(List.of(), root.resolve("nope")));
    assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
    IOException unknown = assertThrows(IOException.class,
        () -> Datasets.recognize(List.of(new FakeFormat("visa", false, List.of(), List.of())), root));
    assertTrue(unknown.getMessage().contains("no installed data set format reads"), unknown.getMessage());
    IOException whole = assertThrows(IOException.class,
        () -> Datasets.recognize(List.of(new FakeFormat("mvtec-ad", true, List.of("bottle", "cable"), List.of())), root));
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
