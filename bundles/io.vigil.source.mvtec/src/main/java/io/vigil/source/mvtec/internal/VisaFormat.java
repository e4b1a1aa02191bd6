package io.vigil.source.mvtec.internal;

import io.vigil.api.image.GroundTruth;
import io.vigil.api.source.DatasetFormat;
import io.vigil.api.source.DatasetItem;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.osgi.service.component.annotations.Component;

/**
 * VisA after its 1cls split: the data set root holds {@code split_csv/1cls.csv} (columns object,
 * split, label, image, mask; paths relative to the root) and one directory per object, the
 * categories. Labels are "normal" and "anomaly"; VisA names no defect types, so defective frames
 * carry the type "anomaly".
 */
@Component(service = DatasetFormat.class, property = DatasetFormat.NAME_PROPERTY + "=" + VisaFormat.NAME)
public class VisaFormat extends LayoutFormat {
  static final String NAME = "visa";
  static final String ANOMALY = "anomaly";
  private static final String SPLIT_FILE = "split_csv/1cls.csv";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  String title() {
    return "VisA (1cls)";
  }

  @Override
  String expectedLayout() {
    return SPLIT_FILE + " beside the object directories";
  }

  @Override
  boolean isCategory(Path directory) {
    Path parent = directory.toAbsolutePath().normalize().getParent();
    return parent != null && Files.isRegularFile(parent.resolve(SPLIT_FILE)) && Files.isDirectory(directory.resolve("Data"));
  }

  @Override
  List<String> categorySplits(Path category) throws IOException {
    Set<String> splits = new LinkedHashSet<>();
    for (Row row : rows(category)) {
      splits.add(row.split());
    }
    return List.copyOf(splits);
  }

  @Override
  List<DatasetItem> listSplit(Path category, String split, MissingMasks missing) throws IOException {
    Path root = category.toAbsolutePath().normalize().getParent();
    List<DatasetItem> items = new ArrayList<>();
    for (Row row : rows(category)) {
      if (!row.split().equals(split)) {
        continue;
      }
      Path image = root.resolve(row.image());
      if (!Files.isRegularFile(image)) {
        throw new NoSuchFileException(image.toString(), null, SPLIT_FILE + " lists an image that does not exist");
      }
      boolean anomalous = row.label().equals(ANOMALY);
      Path mask = row.mask().isEmpty() ? null : root.resolve(row.mask());
      if (mask != null && !Files.isRegularFile(mask)) {
        throw new NoSuchFileException(mask.toString(), null, "the mask of " + row.image() + " does not exist");
      }
      items.add(labelled(missing, category.toAbsolutePath().normalize(), image, anomalous ? ANOMALY : GroundTruth.GOOD, mask,
          root.resolve(row.image() + " (no mask column)")));
    }
    return items;
  }

  private record Row(String object, String split, String label, String image, String mask) {}

  /** The rows of the split file for one object. */
  private static List<Row> rows(Path category) throws IOException {
    Path file = category.toAbsolutePath().normalize().getParent().resolve(SPLIT_FILE);
    String object = category.toAbsolutePath().normalize().getFileName().toString();
    CSVFormat format = CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).setTrim(true).get();
    List<Row> rows = new ArrayList<>();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8); CSVParser parser = format.parse(reader)) {
      for (String column : List.of("object", "split", "label", "image", "mask")) {
        if (!parser.getHeaderMap().containsKey(column)) {
          throw new IOException(file + ": no column '" + column + "' (columns: " + parser.getHeaderNames() + ")");
        }
      }
      for (CSVRecord record : parser) {
        if (record.get("object").equals(object)) {
          rows.add(new Row(object, record.get("split").toLowerCase(Locale.ROOT),
              record.get("label").toLowerCase(Locale.ROOT), record.get("image"),
              record.isSet("mask") ? record.get("mask") : ""));
        }
      }
    }
    return rows;
  }
}
