package io.vigil.ui.views.annotate.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.vigil.ui.views.annotate.internal.AnnotationSet.Entry;
import io.vigil.ui.views.annotate.internal.AnnotationSet.Filter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AnnotationSetTest {
  @TempDir Path root;

  private void touch(String name) throws IOException {
    Path file = root.resolve(name);
    Files.createDirectories(file.getParent());
    Files.write(file, new byte[1]);
  }

  @Test
  void listsDefectiveTestImagesWithTheirMaskState() throws IOException {
    touch("train/good/000.png");
    touch("test/good/000.png");
    touch("test/crack/000.png");
    touch("test/crack/001.png");
    touch("test/hole/000.png");
    touch("ground_truth/crack/001_mask.png");
    AnnotationSet set = AnnotationSet.open(root);
    assertEquals(List.of("crack", "hole"), set.types());
    assertEquals(List.of("crack/000.png", "crack/001.png", "hole/000.png"), ids(set.entries(Filter.ALL, null)));
    assertEquals(List.of("crack/000.png", "hole/000.png"), ids(set.entries(Filter.WITHOUT_MASK, null)));
    assertEquals(List.of("crack/001.png"), ids(set.entries(Filter.WITH_MASK, null)));
    assertEquals(List.of("hole/000.png"), ids(set.entries(Filter.ALL, "hole")));
    Entry first = set.entries(Filter.ALL, null).get(0);
    assertEquals(root.resolve("ground_truth/crack/000_mask.png"), first.mask());
    assertEquals(root.resolve("ground_truth/crack/000_mask.png"), AnnotationSet.saveTarget(first));

    touch("ground_truth/hole/000_mask.png");
    assertEquals(List.of("crack/000.png"), ids(set.reload().entries(Filter.WITHOUT_MASK, null)));
  }

  @Test
  void aFolderWithoutTestIsRefused() {
    assertThrows(IOException.class, () -> AnnotationSet.open(root));
  }

  private static List<String> ids(List<Entry> entries) {
    return entries.stream().map(Entry::id).toList();
  }
}
