package io.vigil.source.folder.internal;

import static io.vigil.source.folder.internal.FolderLayoutTest.png;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Frame;
import io.vigil.api.source.FrameStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderFormatTest {
  @TempDir Path dir;
  private final FolderFormat format = new FolderFormat();

  @Test
  void anyFolderWithImagesIsAnUnlabelledDataSetWithItsSubFoldersAsSplits() throws Exception {
    png(dir.resolve("good/1.png"));
    png(dir.resolve("good/2.png"));
    png(dir.resolve("odd/3.png"));
    Files.createDirectories(dir.resolve("empty"));
    assertTrue(format.recognizes(dir));
    assertFalse(format.recognizes(dir.resolve("empty")));
    assertEquals(List.of("all", "good", "odd"), format.splits(dir));
    assertEquals(3, format.items(dir, "all").size());
    assertEquals(List.of("good/1.png", "good/2.png"), format.items(dir, "good").stream().map(i -> i.id()).toList());
    try (FrameStream stream = format.open(dir, "good").open()) {
      Frame first = stream.next(Duration.ZERO);
      assertEquals("good/1.png", first.id());
      assertNull(first.groundTruth());
      assertEquals(4, first.image().width());
    }
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> format.open(dir, "train"));
    assertTrue(e.getMessage().contains("all, good, odd"), e.getMessage());
  }

  @Test
  void aFolderWithoutImagesIsNotRecognised() throws IOException {
    Files.writeString(dir.resolve("readme.txt"), "x");
    assertFalse(format.recognizes(dir));
    assertFalse(format.recognizes(dir.resolve("missing")));
  }
}
