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
 * The RGB images of MVTec 3D-AD: {@code <split>/<type>/rgb/<name>.png} with masks of the same name
 * in {@code <split>/<type>/gt/}. The point clouds ({@code xyz/}) are not read.
 */
@Component(service = DatasetFormat.class, property = DatasetFormat.NAME_PROPERTY + "=" + Mvtec3dAdFormat.NAME)
public class Mvtec3dAdFormat extends LayoutFormat {
  static final String NAME = "mvtec-3d-ad";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  String title() {
    return "MVTec 3D-AD";
  }

  @Override
  String expectedLayout() {
    return "train/good/rgb/*.png and test/<good|defect>/rgb/ (masks in test/<defect>/gt/)";
  }

  @Override
  boolean isCategory(Path directory) {
    return Files.isDirectory(directory.resolve("train").resolve("good").resolve("rgb"));
  }

  @Override
  List<String> categorySplits(Path category) {
    return existing(category, "train", "validation", "test");
  }

  @Override
  List<DatasetItem> listSplit(Path category, String split, MissingMasks missing) throws IOException {
    List<DatasetItem> items = new ArrayList<>();
    Path splitDirectory = category.resolve(split);
    for (String type : subdirectories(splitDirectory)) {
      Path rgb = splitDirectory.resolve(type).resolve("rgb");
      if (!Files.isDirectory(rgb)) {
        continue;
      }
      Path masks = splitDirectory.resolve(type).resolve("gt");
      for (Path image : ImageFileNames.list(rgb)) {
        Path expected = masks.resolve(image.getFileName().toString());
        Path mask = Files.isRegularFile(expected) ? expected : null;
        // Good images may come with an all-zero mask; it is used (and checked) when present.
        items.add(labelled(missing, category, image, GroundTruth.GOOD.equals(type) ? GroundTruth.GOOD : type, mask, expected));
      }
    }
    return items;
  }
}
