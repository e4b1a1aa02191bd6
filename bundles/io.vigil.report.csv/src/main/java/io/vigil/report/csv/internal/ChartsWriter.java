package io.vigil.report.csv.internal;

import io.vigil.api.detector.Decision;
import io.vigil.api.evaluation.EvaluatedImage;
import io.vigil.api.evaluation.EvaluationReport;
import io.vigil.api.evaluation.EvaluationRun;
import io.vigil.api.evaluation.ReportWriter;
import io.vigil.api.image.GroundTruth;
import io.vigil.image.ImageFiles;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * {@code roc.png}, the image ROC curve, and {@code defects.png}, a bar chart per defect type
 * (image AUROC and F1-max against the good images, and the share caught at the model's
 * threshold), drawn off screen with JFreeChart.
 */
@Component(property = ReportWriter.NAME_PROPERTY + "=charts")
public class ChartsWriter implements ReportWriter {
  static final String ROC = "roc.png";
  static final String DEFECTS = "defects.png";
  private static final int WIDTH = 800;
  private static final int HEIGHT = 600;

  @Activate
  void activate() {
    // Charts are drawn into images, never on a screen: keep AWT from looking for a display.
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  @Override
  public Report open(Path directory, EvaluationRun run) {
    return new Report() {
      /** Per defect type: [images, caught at the model's threshold]. */
      private final Map<String, int[]> caught = new TreeMap<>();

      @Override
      public void add(EvaluatedImage image) {
        GroundTruth truth = image.frame().groundTruth();
        if (truth.anomalous()) {
          int[] counts = caught.computeIfAbsent(truth.defectType(), t -> new int[2]);
          counts[0]++;
          counts[1] += image.detection().decision() == Decision.NOK ? 1 : 0;
        }
      }

      @Override
      public void finish(EvaluationReport report) throws IOException {
        BufferedImage roc;
        BufferedImage defects;
        try {
          roc = Charts.roc(report, WIDTH, HEIGHT);
          defects = Charts.defects(report, caught, WIDTH, HEIGHT);
        } catch (RuntimeException | LinkageError e) {
          throw new IOException("cannot draw the charts: " + e, e);
        }
        ImageFiles.writePng(roc, directory.resolve(ROC));
        ImageFiles.writePng(defects, directory.resolve(DEFECTS));
      }
    };
  }
}
