package io.vigil.report.compare.internal;

import io.vigil.report.compare.api.ComparedModel;
import io.vigil.report.compare.api.ComparisonReports;
import io.vigil.report.compare.api.RocPoint;
import io.vigil.report.compare.internal.EvaluationResults.ImageRow;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.osgi.service.component.annotations.Component;

/** The comparison report as a service, for the station client's compare mode. */
@Component(service = ComparisonReports.class)
public class ComparisonReportsService implements ComparisonReports {

  @Override
  public ComparedModel read(Path evaluation) throws IOException {
    EvaluationResults results = EvaluationResults.read(label(evaluation), evaluation, null);
    double[] scores = results.images().stream().mapToDouble(ImageRow::score).toArray();
    int[] labels = results.images().stream().mapToInt(ImageRow::label).toArray();
    List<RocPoint> curve = Roc.curve(scores, labels).stream().map(ComparisonReportsService::point).toList();
    return new ComparedModel(results.name(), evaluation, results.summary(), scores.length, curve,
        point(Roc.zeroMiss(scores, labels)));
  }

  @Override
  public Path write(List<Path> evaluations, Path data, Path out) throws IOException {
    if (evaluations.isEmpty()) {
      throw new IOException("nothing to compare: add an evaluation folder");
    }
    List<EvaluationResults> models = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (Path evaluation : evaluations) {
      String name = label(evaluation);
      String unique = name;
      for (int n = 2; !names.add(unique); n++) {
        unique = name + "-" + n;
      }
      models.add(EvaluationResults.read(unique, evaluation, null));
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("written by", "the station client's evaluation view (compare mode)");
    facts.put("written", java.time.Instant.now().toString());
    // Without the data set the gallery says each thumbnail is not readable; the figures do not need it.
    Path dataset = data != null ? data : Path.of("(data set not given)");
    return ComparisonReport.write(models, new ComparisonReport.Facts(dataset, "as evaluated", facts), out);
  }

  private static String label(Path evaluation) {
    Path name = evaluation.toAbsolutePath().normalize().getFileName();
    return name == null ? evaluation.toString() : name.toString();
  }

  private static RocPoint point(Roc.Point point) {
    return new RocPoint(point.falsePositiveRate(), point.truePositiveRate(), point.threshold());
  }
}
