package io.vigil.source.folder.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.api.image.Image;
import io.vigil.api.source.DatasetItem;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderLayoutTest {
  @TempDir Path dir;

  static Path png(Path file) throws IOException {
    Files.createDirectories(file.getParent());
    ImageFiles.writePng(Image.of8Bit(4, 3, 1, new byte[12]), file);
    return file;
  }

  @Test
  void listsImagesRecursivelySortedAndSkipsOtherFiles() throws IOException {
    png(dir.resolve("b.png"));
    png(dir.resolve("a/z.jpg"));
    png(dir.resolve("a/c.PNG"));
    png(dir.resolve(".hidden.png"));
    Files.writeString(dir.resolve("notes.txt"), "x");
    List<String> ids = new FolderLayout(dir, true, "", "", "").list().stream().map(DatasetItem::id).toList();
    assertEquals(List.of("a/c.PNG", "a/z.jpg", "b.png"), ids);
    assertEquals(List.of("b.png"), new FolderLayout(dir, false, "", "", "").list().stream().map(DatasetItem::id).toList());
    assertEquals(List.of("a/z.jpg"), new FolderLayout(dir, true, "*.jpg", "", "").list().stream().map(DatasetItem::id).toList());
    assertFalse(new FolderLayout(dir, true, "", "", "").list().get(0).labelled());
  }

  @Test
  void masksBesideTheirImagesLabelThemAndAreNotFramesThemselves() throws IOException {
    png(dir.resolve("good/001.png"));
    png(dir.resolve("scratch/002.png"));
    png(dir.resolve("scratch/002_mask.png"));
    png(dir.resolve("003.png"));
    png(dir.resolve("003_mask.png"));
    List<DatasetItem> items = new FolderLayout(dir, true, "", "_mask", "").list();
    assertEquals(List.of("003.png", "good/001.png", "scratch/002.png"), items.stream().map(DatasetItem::id).toList());
    assertEquals(FolderLayout.DEFAULT_DEFECT, items.get(0).defectType());
    assertFalse(items.get(1).anomalous());
    assertNull(items.get(1).mask());
    assertEquals("scratch", items.get(2).defectType());
    assertEquals(dir.resolve("scratch/002_mask.png").toAbsolutePath(), items.get(2).mask());
  }

  @Test
  void masksInAMirroredMaskFolder() throws IOException {
    png(dir.resolve("images/dent/7.png"));
    png(dir.resolve("images/masks/dent/7_gt.png"));
    List<DatasetItem> items = new FolderLayout(dir.resolve("images"), true, "", "_gt", "masks").list();
    assertEquals(1, items.size(), "the mask folder's files are not frames");
    assertTrue(items.get(0).anomalous());
    assertEquals("dent", items.get(0).defectType());
  }

  @Test
  void aMissingFolderSaysSo() {
    NoSuchFileException e = assertThrows(NoSuchFileException.class,
        () -> new FolderLayout(dir.resolve("nope"), true, "", "", "").list());
    assertTrue(e.getMessage().contains("nope"));
  }
}
