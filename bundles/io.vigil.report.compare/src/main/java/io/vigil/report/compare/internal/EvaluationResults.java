package io.vigil.report.compare.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.vigil.api.metric.StandardMetrics;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * One model's evaluation as `./vigil eval` wrote it: {@code summary.csv} (metric, value),
 * {@code images.csv} (one row per test image) and the heatmaps beside them.
 *
 * @param name            the model's label in the report
 * @param directory       the evaluation directory
 * @param summary         every numeric figure of summary.csv
 * @param images          the scored images, in file order
 * @param trainingSeconds the model's training time when its model.json records it
 */
record EvaluationResults(
    String name, Path directory, Map<String, Double> summary, List<ImageRow> images, OptionalDouble trainingSeconds) {

  /** One test image's row. {@code label} 1 is defective. */
  record ImageRow(String path, String defect, int label, double score, double normalizedScore, String decision,
      String heatmap) {
    boolean defective() {
      return label == 1;
    }
  }


  /** Reads {@code directory}; {@code model} (may be null) is the model directory, for its training time. */
  static EvaluationResults read(String name, Path directory, Path model) throws IOException {
    Path summaryFile = directory.resolve("summary.csv");
    Path imagesFile = directory.resolve("images.csv");
    for (Path required : List.of(summaryFile, imagesFile)) {
      if (!Files.isRegularFile(required)) {
        throw new IOException(directory + " is not an evaluation: " + required.getFileName()
            + " is missing (write one with ./vigil eval)");
      }
    }
    Map<String, Double> summary = new LinkedHashMap<>();
    for (CSVRecord row : records(summaryFile)) {
      try {
        summary.put(row.get("metric"), Double.parseDouble(row.get("value")));
      } catch (NumberFormatException e) {
        // a text figure: not charted
      }
    }
    List<ImageRow> images = new ArrayList<>();
    for (CSVRecord row : records(imagesFile)) {
      images.add(new ImageRow(row.get("path"), row.get("defect"), Integer.parseInt(row.get("label")),
          Double.parseDouble(row.get("raw_score")), Double.parseDouble(row.get("normalized_score")),
          row.get("decision"), row.isMapped("heatmap") ? row.get("heatmap") : ""));
    }
    if (images.isEmpty()) {
      throw new IOException(imagesFile + " lists no image");
    }
    return new EvaluationResults(name, directory, summary, images, trainingSeconds(model));
  }

  /**
   * The time the training took, as the model's training summary records it ({@code training}
   * object, {@code seconds}); not the {@code training.seconds} setting among the parameters, which
   * is a time budget.
   */
  static OptionalDouble trainingSeconds(Path model) throws IOException {
    if (model == null || !Files.isRegularFile(model.resolve("model.json"))) {
      return OptionalDouble.empty();
    }
    try {
      JsonElement root = JsonParser.parseString(Files.readString(model.resolve("model.json")));
      JsonElement training = root.isJsonObject() ? root.getAsJsonObject().get("training") : null;
      JsonElement seconds = training != null && training.isJsonObject() ? training.getAsJsonObject().get("seconds") : null;
      return seconds != null && seconds.isJsonPrimitive() && seconds.getAsJsonPrimitive().isNumber()
          ? OptionalDouble.of(seconds.getAsDouble()) : OptionalDouble.empty();
    } catch (JsonParseException e) {
      throw new IOException(model.resolve("model.json") + " is not readable JSON: " + e.getMessage(), e);
    }
  }

  private static List<CSVRecord> records(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return CSVFormat.DEFAULT.builder().setHeader().setSkipHeaderRecord(true).get().parse(reader).getRecords();
    }
  }

  double figure(String key) {
    return summary.getOrDefault(key, Double.NaN);
  }

  /** Image AUROC per defect type, from the summary's image_auroc.defect.TYPE figures. */
  Map<String, Double> defectAurocs() {
    return perDefectType(StandardMetrics.IMAGE_AUROC);
  }

  /**
   * {@code metric} per defect type, from the summary's METRIC.defect.TYPE figures (an evaluation
   * written before a metric had them has none).
   */
  Map<String, Double> perDefectType(String metric) {
    String prefix = metric + ".";
    Map<String, Double> details = new TreeMap<>();
    summary.forEach((key, value) -> {
      if (key.startsWith(prefix)) {
        details.put(key.substring(prefix.length()), value);
      }
    });
    return StandardMetrics.byDefectType(details);
  }
}
