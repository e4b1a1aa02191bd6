package io.vigil.source.mvtec.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import io.vigil.image.ImageFileNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.osgi.service.component.annotations.Component;

/**
 * MVTec AD: {@code train/good}, {@code test/<good|defect>}, masks in
 * {@code ground_truth/<defect>/<name>_mask.png}. Images may be PNG or JPEG (re-packed sets such as
 * magnetic tiles use JPEG).
 */
@Component(service = DatasetFormat.class, property = DatasetFormat.NAME_PROPERTY + "=" + MvtecAdFormat.NAME)
public class MvtecAdFormat extends LayoutFormat {
  static final String NAME = "mvtec-ad";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  String title() {
    return "MVTec AD";
  }

  @Override
  String expectedLayout() {
    return "train/good/*.png and test/<good|defect>/ (masks in ground_truth/<defect>/<name>_mask.png)";
  }

  @Override
  boolean isCategory(Path directory) {
    // Images directly in train/good: MVTec 3D-AD keeps them one level deeper, in rgb/.
    return hasImages(directory.resolve("train").resolve("good")) && Files.isDirectory(directory.resolve("test"));
  }

  @Override
  List<String> categorySplits(Path category) {
    return existing(category, "train", "test");
  }

  @Override
  List<DatasetItem> listSplit(Path category, String split, MissingMasks missing) throws IOException {
    List<DatasetItem> items = new ArrayList<>();
    Path splitDirectory = category.resolve(split);
    for (String type : subdirectories(splitDirectory)) {
      Path masks = category.resolve("ground_truth").resolve(type);
      for (Path image : ImageFileNames.list(splitDirectory.resolve(type))) {
        String stem = ImageFileNames.stem(image);
        Path mask = GroundTruth.GOOD.equals(type) ? null : ImageFileNames.findSibling(masks, stem, "_mask");
        items.add(labelled(missing, category, image, type, mask, masks.resolve(stem + "_mask.png")));
      }
    }
    return items;
  }
}
