package io.vigil.itest.ui;

import static io.vigil.itest.ui.UiDriver.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The evaluation view's compare mode: two evaluation folders as ./vigil eval writes them, the
 * summary table, the overlaid ROC curves, and the HTML report written by "Open report".
 */
class CompareViewTest {
  // The report's palette: the first model blue, the second red.
  private static final int FIRST = 0x1f77b4;
  private static final int SECOND = 0xd62728;
  private static final String[][] IMAGES = {
      {"test/good/0.png", "good", "0"}, {"test/good/1.png", "good", "0"}, {"test/good/2.png", "good", "0"},
      {"test/good/3.png", "good", "0"}, {"test/good/4.png", "good", "0"}, {"test/good/5.png", "good", "0"},
      {"test/crack/0.png", "crack", "1"}, {"test/crack/1.png", "crack", "1"},
      {"test/hole/0.png", "hole", "1"}, {"test/hole/1.png", "hole", "1"}};

  @TempDir Path directory;
  private UiDriver ui;

  @BeforeEach
  void setUp() throws Exception {
    // No browser opens: ui.bndrun sets vigil.ui.open.reports=false, so the view only says where the report is.
    ui = UiDriver.open("evaluation");
    ui.awaitWidget("evaluation.mode");
  }

  @AfterEach
  void tearDown() throws Exception {
    ui.close();
  }

  @Test
  void twoEvaluationsSideBySideAndTheReport() throws Exception {
    Path data = directory.resolve("data");
    for (String[] image : IMAGES) {
      writePng(data.resolve(image[0]), 128);
    }
    // "sharp" separates every defect; "blunt" scores crack/1 below every good part.
    Path sharp = evaluation("eval-sharp", new double[] {0.1, 0.2, 0.15, 0.3, 0.25, 0.12, 0.9, 0.8, 0.95, 0.85}, 1.0);
    Path blunt = evaluation("eval-blunt", new double[] {0.1, 0.2, 0.15, 0.6, 0.25, 0.12, 0.9, 0.05, 0.95, 0.85}, 0.79);

    ui.selectTabItem("evaluation.mode", "Compare");
    ui.awaitWidget("evaluation.compare.folder");
    ui.enter("evaluation.compare.folder", sharp.toString());
    await(() -> ui.rows("evaluation.compare.table").size() == 1, () -> ui.text("evaluation.compare.status"));
    ui.type("evaluation.compare.folder", blunt.toString());
    ui.press("evaluation.compare.add");
    await(() -> ui.rows("evaluation.compare.table").size() == 2, () -> ui.text("evaluation.compare.status"));
    assertEquals("2 evaluations compared", ui.text("evaluation.compare.status"));

    List<List<String>> rows = ui.rows("evaluation.compare.table");
    // model, image AUROC, pixel AUROC, AU-PRO, F1-max, zero-miss threshold, good rejected at it, ...
    assertEquals(List.of("eval-sharp", "1.0000", "0.9000", "-", "-", "0.8000", "0.0%"), rows.get(0).subList(0, 7));
    assertEquals(List.of("eval-blunt", "0.7900", "0.9000", "-", "-", "0.05000", "100.0%"), rows.get(1).subList(0, 7));
    assertEquals("30.0", rows.get(0).get(10), "images/s");

    // Each model's curve in its colour: more pixels than its legend swatch (100) and marker (about 70).
    int first = ui.pixelsOfColour("evaluation.compare.roc", FIRST);
    int second = ui.pixelsOfColour("evaluation.compare.roc", SECOND);
    assertTrue(first > 250 && second > 250, "curve pixels: " + first + " and " + second);

    Path out = directory.resolve("comparison");
    ui.type("evaluation.compare.data", data.toString());
    ui.type("evaluation.compare.out", out.toString());
    ui.press("evaluation.compare.report");
    await(() -> ui.text("evaluation.compare.status").startsWith("Report written: "),
        () -> ui.text("evaluation.compare.status"));
    assertEquals("Report written: " + out.resolve("report.html"), ui.text("evaluation.compare.status"));
    String html = Files.readString(out.resolve("report.html"));
    assertTrue(html.contains("eval-sharp") && html.contains("eval-blunt") && html.contains("id=\"chart-roc\""));
    assertEquals(3, Files.readAllLines(out.resolve("summary.csv")).size(), "header and two models");
    ui.pauseForScreenshot(300);
    ui.screenshot("evaluation-compare");
  }

  private Path evaluation(String name, double[] scores, double imageAuroc) throws IOException {
    Path dir = Files.createDirectories(directory.resolve(name));
    Files.writeString(dir.resolve("summary.csv"), "metric,value\nimage_auroc," + imageAuroc
        + "\npixel_auroc,0.9\nimages_per_second,30.0\n");
    StringBuilder rows = new StringBuilder("path,defect,label,raw_score,normalized_score,decision,milliseconds,map,heatmap\n");
    for (int i = 0; i < IMAGES.length; i++) {
      rows.append(IMAGES[i][0]).append(',').append(IMAGES[i][1]).append(',').append(IMAGES[i][2]).append(',')
          .append(scores[i]).append(',').append(scores[i] * 2).append(',').append(scores[i] > 0.5 ? "NOK" : "OK")
          .append(",12.5,,\n");
    }
    Files.writeString(dir.resolve("images.csv"), rows);
    return dir;
  }

  private static void writePng(Path file, int grey) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(32, 24, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSample(16, 12, 0, grey);
    ImageIO.write(image, "png", file.toFile());
  }
}
