package io.vigil.ui.views.annotate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.ui.views.annotate.internal.AnnotationSet.Entry;
import io.vigil.ui.views.annotate.internal.AnnotationSet.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TypeMoveTest {
  @TempDir Path root;

  private void write(String name, String content) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
  }

  private Entry entry(String id) throws IOException {
    return AnnotationSet.open(root).entries(Filter.ALL, null).stream().filter(e -> e.id().equals(id)).findFirst()
        .orElseThrow();
  }

  @Test
  void theMaskMovesWithItsImageUnderTheSameNameWhenFree() throws IOException {
    write("test/crack/003.png", "image");
    write("ground_truth/crack/003_mask.png", "mask");
    Entry moved = TypeMove.move(root, entry("crack/003.png"), "scratch");
    assertEquals(root.resolve("test/scratch/003.png"), moved.image());
    assertEquals("image", Files.readString(moved.image()));
    assertEquals("mask", Files.readString(root.resolve("ground_truth/scratch/003_mask.png")));
    assertTrue(moved.hasMask());
    assertFalse(Files.exists(root.resolve("test/crack/003.png")));
    assertFalse(Files.exists(root.resolve("ground_truth/crack/003_mask.png")));
  }

  @Test
  void aTakenNameGetsTheNextNumberAndNothingIsReplaced() throws IOException {
    write("test/crack/000.png", "moving");
    write("ground_truth/crack/000_mask.png", "its mask");
    write("test/hole/000.png", "kept");
    write("test/hole/004.png", "kept too");
    write("ground_truth/hole/000_mask.png", "kept mask");
    Entry moved = TypeMove.move(root, entry("crack/000.png"), "hole");
    assertEquals(root.resolve("test/hole/005.png"), moved.image());
    assertEquals("moving", Files.readString(moved.image()));
    assertEquals("its mask", Files.readString(root.resolve("ground_truth/hole/005_mask.png")));
    assertEquals("kept", Files.readString(root.resolve("test/hole/000.png")));
    assertEquals("kept mask", Files.readString(root.resolve("ground_truth/hole/000_mask.png")));
  }

  @Test
  void toGoodTheMaskIsDeletedAndAnImageWithoutMaskJustMoves() throws IOException {
    write("test/crack/001.png", "was a crack");
    write("ground_truth/crack/001_mask.png", "mask");
    write("test/crack/002.png", "no mask yet");
    Entry good = TypeMove.move(root, entry("crack/001.png"), "good");
    assertEquals(root.resolve("test/good/001.png"), good.image());
    assertFalse(good.hasMask());
    assertFalse(Files.exists(root.resolve("ground_truth/crack/001_mask.png")));
    assertFalse(Files.exists(root.resolve("ground_truth/good")));
    Entry stain = TypeMove.move(root, entry("crack/002.png"), "stain");
    assertFalse(stain.hasMask());
    assertEquals("no mask yet", Files.readString(root.resolve("test/stain/002.png")));
  }

  @Test
  void refusesNamesThatAreNoType() throws IOException {
    write("test/crack/000.png", "image");
    Entry entry = entry("crack/000.png");
    for (String type : new String[] {"", "../x", "a/b", "ground_truth", "crack", ".hidden"}) {
      assertThrows(IllegalArgumentException.class, () -> TypeMove.move(root, entry, type), type);
    }
    assertTrue(Files.exists(root.resolve("test/crack/000.png")));
  }
}
