package io.vigil.report.csv.internal;

import io.vigil.image.Heatmaps;
import io.vigil.api.evaluation.EvaluatedImage;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.image.ImageFiles;
import java.io.IOException;
import java.nio.file.Path;
import org.osgi.service.component.annotations.Component;

/**
 * Per image: {@code maps/<defect>/<name>.tiff}, the anomaly map as a 32-bit float TIFF at the
 * image's original size, and {@code heatmaps/<defect>/<name>.png}, the map over the image.
 */
@Component(property = ReportWriter.NAME_PROPERTY + "=maps")
public class AnomalyMapFilesWriter implements ReportWriter {
  static final String MAPS = "maps";
  static final String HEATMAPS = "heatmaps";

  @Override
  public Report open(Path directory, EvaluationRun run) {
    ReportNames names = new ReportNames(run);
    return new Report() {
      @Override
      public void add(EvaluatedImage image) throws IOException {
        String stem = names.stem(image.frame());
        FloatTiff.write(image.detection().map(), directory.resolve(MAPS).resolve(stem + ".tiff"));
        ImageFiles.writePng(Heatmaps.overlay(image.frame().image(), image.detection().map(), run.calibration()),
            directory.resolve(HEATMAPS).resolve(stem + ".png"));
      }

      @Override
      public void finish(EvaluationReport report) {
        // Everything is written as it comes.
      }
    };
  }
}
