package io.vigil.report.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Two models' evaluations written as `./vigil eval` writes them, compared. */
class ComparisonReportTest {
  @TempDir Path temp;
  private Path data;
  private final List<EvaluationResults> models = new ArrayList<>();

  @BeforeEach
  void evaluations() throws IOException {
    data = temp.resolve("data");
    // 6 good, 4 defective (2 crack, 2 hole). Model "sharp" separates them; model "blunt" misses crack/1.
    String[][] images = {
        {"test/good/0.png", "good", "0"}, {"test/good/1.png", "good", "0"}, {"test/good/2.png", "good", "0"},
        {"test/good/3.png", "good", "0"}, {"test/good/4.png", "good", "0"}, {"test/good/5.png", "good", "0"},
        {"test/crack/0.png", "crack", "1"}, {"test/crack/1.png", "crack", "1"},
        {"test/hole/0.png", "hole", "1"}, {"test/hole/1.png", "hole", "1"}};
    double[] sharp = {0.1, 0.2, 0.15, 0.3, 0.25, 0.12, 0.9, 0.8, 0.95, 0.85};
    double[] blunt = {0.1, 0.2, 0.15, 0.6, 0.25, 0.12, 0.9, 0.05, 0.95, 0.85};
    for (String[] image : images) {
      writePng(data.resolve(image[0]), 64, 48, 128);
    }
    models.add(evaluation("sharp", images, sharp, Map.of("image_auroc", 1.0, "image_auroc.defect.crack", 1.0,
        "image_auroc.defect.hole", 1.0, "pixel_auroc", 0.9, "images_per_second", 30.0,
        "pixel_auroc.defect.crack", 0.85, "pixel_auroc.defect.crack.error_bound", 1e-5)));
    models.add(evaluation("blunt", images, blunt, Map.of("image_auroc", 0.79, "image_auroc.defect.crack", 0.58,
        "image_auroc.defect.hole", 1.0, "pixel_auroc", 0.8, "images_per_second", 50.0)));
  }

  private EvaluationResults evaluation(String name, String[][] images, double[] scores, Map<String, Double> summary)
      throws IOException {
    Path dir = temp.resolve("eval-" + name);
    Files.createDirectories(dir);
    StringBuilder csv = new StringBuilder("metric,value\n");
    summary.forEach((key, value) -> csv.append(key).append(',').append(value).append('\n'));
    Files.writeString(dir.resolve("summary.csv"), csv);
    StringBuilder rows = new StringBuilder("path,defect,label,raw_score,normalized_score,decision,milliseconds,map,heatmap\n");
    for (int i = 0; i < images.length; i++) {
      String heatmap = "heatmaps/" + images[i][0].replace("test/", "");
      writePng(dir.resolve(heatmap), 64, 48, (int) (255 * scores[i]));
      rows.append(images[i][0]).append(',').append(images[i][1]).append(',').append(images[i][2]).append(',')
          .append(scores[i]).append(',').append(scores[i] * 2).append(',').append(scores[i] > 0.5 ? "NOK" : "OK")
          .append(",12.5,,").append(heatmap).append('\n');
    }
    Files.writeString(dir.resolve("images.csv"), rows);
    return EvaluationResults.read(name, dir, null);
  }

  private static void writePng(Path file, int width, int height, int grey) throws IOException {
    Files.createDirectories(file.getParent());
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
    image.getRaster().setSample(width / 2, height / 2, 0, Math.max(0, Math.min(255, grey)));
    ImageIO.write(image, "png", file.toFile());
  }

  @Test
  void oneSelfContainedPageWithEveryChartTheTablesAndTheirCsv() throws Exception {
    Path report = ComparisonReport.write(models, new ComparisonReport.Facts(data, "test", Map.of("command", "compare")),
        temp.resolve("out"));
    String html = Files.readString(report, StandardCharsets.UTF_8);
    assertEquals(4, count(html, "<svg"), "ROC, two distributions, per-defect bars");
    assertTrue(html.contains("<td>100.0%</td>") || html.contains("sharp"), "the summary names the models");
    assertTrue(html.contains("id=\"summary-table\"") && html.contains("id=\"facts-table\""));
    assertEquals(List.of(), externalReferences(html), "nothing may be fetched: everything is inline");
    for (String csv : List.of("summary.csv", "roc.csv", "distributions.csv", "defects.csv", "gallery.csv")) {
      assertTrue(Files.size(temp.resolve("out").resolve(csv)) > 0, csv);
    }
    assertEquals(3, Files.readAllLines(temp.resolve("out/summary.csv")).size(), "header and two models");
    // Pixel AUROC per type where the evaluation has it (blunt's was written without).
    assertEquals(List.of("model,defect,image_auroc,pixel_auroc", "sharp,crack,1.0,0.85", "sharp,hole,1.0,NaN",
        "blunt,crack,0.58,NaN", "blunt,hole,1.0,NaN"), Files.readAllLines(temp.resolve("out/defects.csv")));
    assertEquals(21, Files.readAllLines(temp.resolve("out/distributions.csv")).size(), "header and 2 x 10 images");
  }

  @Test
  void theGalleryLeadsWithTheImageAModelMissedWorst() {
    List<ComparisonReport.HardImage> misses = ComparisonReport.hardest(models, true);
    assertEquals("test/crack/1.png", misses.get(0).path(), "blunt scored it below every good part");
    // blunt: good median 0.175, defective median 0.875: (0.875 - 0.05) / 0.7
    assertEquals(0.825 / 0.7, misses.get(0).hardness(), 1e-9);
    List<ComparisonReport.HardImage> falseAlarms = ComparisonReport.hardest(models, false);
    assertEquals("test/good/3.png", falseAlarms.get(0).path(), "blunt scored it above a defective part");
    assertFalse(falseAlarms.stream().anyMatch(ComparisonReport.HardImage::defective));
  }

  @Test
  void aHeadlessBrowserRendersThePageWithEveryChartAndNoRequest() throws Exception {
    Path report = ComparisonReport.write(models, new ComparisonReport.Facts(data, "test", Map.of()), temp.resolve("out"));
    String browser = browser();
    Process dump = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu",
        // Any request leaving the page would fail to resolve and be logged.
        "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0",
        "--dump-dom", report.toUri().toString())
        .redirectError(temp.resolve("browser.log").toFile()).start();
    String dom = new String(dump.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(dump.waitFor(120, TimeUnit.SECONDS), "the browser finished");
    assertEquals(0, dump.exitValue(), Files.readString(temp.resolve("browser.log")));
    assertEquals(4, count(dom, "<svg"), "every chart is in the rendered page");
    assertTrue(dom.contains("id=\"summary-table\"") && dom.contains("gallery-misses-table"), "tables rendered");
    String log = Files.readString(temp.resolve("browser.log"));
    assertFalse(log.contains("net::ERR_NAME_NOT_RESOLVED") || log.contains("Failed to load resource"),
        "a request left the page: " + log);

    Path png = temp.resolve("report.png");
    Process screenshot = new ProcessBuilder(browser, "--headless", "--no-sandbox", "--disable-gpu",
        "--window-size=1280,2400", "--screenshot=" + png, report.toUri().toString())
        .redirectErrorStream(true).redirectOutput(temp.resolve("screenshot.log").toFile()).start();
    assertTrue(screenshot.waitFor(120, TimeUnit.SECONDS));
    BufferedImage shot = ImageIO.read(png.toFile());
    assertEquals(1280, shot.getWidth(), Files.readString(temp.resolve("screenshot.log")));
  }

  /** Debian's chromium; the test fails (never skips) without it: .ci/run installs it. */
  private static String browser() {
    for (String candidate : List.of("/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome")) {
      if (Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    throw new AssertionError("no headless browser: install Debian's chromium (apt-get install chromium; .ci/run does)");
  }

  private static int count(String text, String what) {
    int count = 0;
    for (int i = text.indexOf(what); i >= 0; i = text.indexOf(what, i + 1)) {
      count++;
    }
    return count;
  }

  /** src/href attributes and CSS url()s that point anywhere but inside the page (data: URIs, #anchors). */
  private static List<String> externalReferences(String html) {
    List<String> found = new ArrayList<>();
    Matcher matcher = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"|url\\(([^)]*)\\)").matcher(html);
    while (matcher.find()) {
      String target = matcher.group(1) != null ? matcher.group(1) : matcher.group(2);
      if (!target.startsWith("data:") && !target.startsWith("#")) {
        found.add(target);
      }
    }
    return found;
  }
}
