package io.vigil.source.mvtec.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.api.source.DatasetItem;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class DatasetCommandTest {
  @Test
  void summaryCountsGoodDefectsByTypeAndUnlabelled() {
    Path p = Path.of("x.png");
    List<DatasetItem> items = List.of(
        new DatasetItem("a", p, "good", null), new DatasetItem("b", p, "crack", p),
        new DatasetItem("c", p, "crack", p), new DatasetItem("d", p, "hole", p), new DatasetItem("e", p, null, null));
    assertEquals("5 images, 1 good, 3 defective {crack=2, hole=1}, 1 unlabelled", DatasetCommand.summary(items));
  }
}
