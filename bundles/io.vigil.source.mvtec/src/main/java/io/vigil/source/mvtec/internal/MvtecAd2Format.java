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
 * MVTec AD 2: {@code train/good}, {@code validation/good}, {@code test_public/{good,bad}} with masks
 * in {@code test_public/ground_truth/bad/<name>_mask.png}; the private test splits
 * ({@code test_private}, {@code test_private_mixed}) have no labels.
 */
@Component(service = DatasetFormat.class, property = DatasetFormat.NAME_PROPERTY + "=" + MvtecAd2Format.NAME)
public class MvtecAd2Format extends LayoutFormat {
  static final String NAME = "mvtec-ad-2";
  private static final String GROUND_TRUTH = "ground_truth";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  String title() {
    return "MVTec AD 2";
  }

  @Override
  String expectedLayout() {
    return "train/good/, validation/good/ and test_public/{good,bad}/ (masks in test_public/ground_truth/bad/)";
  }

  @Override
  boolean isCategory(Path directory) {
    return hasImages(directory.resolve("train").resolve("good"))
        && (Files.isDirectory(directory.resolve("test_public")) || Files.isDirectory(directory.resolve("validation")));
  }

  @Override
  List<String> categorySplits(Path category) {
    return existing(category, "train", "validation", "test_public", "test_private", "test_private_mixed");
  }

  @Override
  List<DatasetItem> listSplit(Path category, String split, MissingMasks missing) throws IOException {
    Path splitDirectory = category.resolve(split);
    if (split.startsWith("test_private")) {
      return unlabelled(category, splitDirectory);
    }
    List<DatasetItem> items = new ArrayList<>();
    for (String type : subdirectories(splitDirectory)) {
      if (type.equals(GROUND_TRUTH)) {
        continue;
      }
      Path masks = splitDirectory.resolve(GROUND_TRUTH).resolve(type);
      for (Path image : ImageFileNames.list(splitDirectory.resolve(type))) {
        String stem = ImageFileNames.stem(image);
        Path mask = GroundTruth.GOOD.equals(type) ? null : ImageFileNames.findSibling(masks, stem, "_mask");
        items.add(labelled(missing, category, image, type, mask, masks.resolve(stem + "_mask.png")));
      }
    }
    return items;
  }

  /** The private test images: directly in the split, or one level down. */
  private static List<DatasetItem> unlabelled(Path category, Path splitDirectory) throws IOException {
    List<Path> images = new ArrayList<>(ImageFileNames.list(splitDirectory));
    if (images.isEmpty()) {
      for (String sub : subdirectories(splitDirectory)) {
        images.addAll(ImageFileNames.list(splitDirectory.resolve(sub)));
      }
    }
    return images.stream().map(image -> new DatasetItem(id(category, image), image, null, null)).toList();
  }
}
