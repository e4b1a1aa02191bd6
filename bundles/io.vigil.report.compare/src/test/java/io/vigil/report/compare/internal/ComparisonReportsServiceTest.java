package io.vigil.report.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vigil.report.compare.api.ComparedModel;
import io.vigil.report.compare.api.RocPoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service the station client's compare mode uses: one folder read, a report for several. */
class ComparisonReportsServiceTest {
  @TempDir Path temp;
  private final ComparisonReportsService service = new ComparisonReportsService();

  /** 3 good (0.1, 0.4, 0.2), 2 defective (0.3, 0.9): the lowest defect 0.3 rejects one good part of three. */
  private Path evaluation(String folder) throws IOException {
    Path dir = Files.createDirectories(temp.resolve(folder));
    Files.writeString(dir.resolve("summary.csv"), "metric,value\nimage_auroc,0.8333\nf1_max,0.8\ndetector,grid\n");
    Files.writeString(dir.resolve("images.csv"), """
        path,defect,label,raw_score,normalized_score,decision,milliseconds,map,heatmap
        test/good/0.png,good,0,0.1,0.2,OK,1,,
        test/good/1.png,good,0,0.4,0.8,NOK,1,,
        test/good/2.png,good,0,0.2,0.4,OK,1,,
        test/crack/0.png,crack,1,0.3,0.6,OK,1,,
        test/crack/1.png,crack,1,0.9,1.8,NOK,1,,
        """);
    return dir;
  }

  @Test
  void readsTheFiguresTheCurveAndTheZeroMissPoint() throws IOException {
    ComparedModel model = service.read(evaluation("run-a"));
    assertEquals("run-a", model.name());
    assertEquals(5, model.images());
    assertEquals(0.8333, model.figure(ComparedModel.IMAGE_AUROC));
    assertTrue(Double.isNaN(model.figure(ComparedModel.PIXEL_AUROC)), "absent figures are NaN");
    assertTrue(Double.isNaN(model.figure("detector")), "text figures are left out");
    assertEquals(new RocPoint(1.0 / 3, 1.0, 0.3), model.zeroMiss());
    // Thresholds 0.9, 0.4, 0.3, 0.2, 0.1 after the (0, 0) start.
    assertEquals(6, model.roc().size());
    assertEquals(new RocPoint(0, 0.5, 0.9), model.roc().get(1));
    assertEquals(new RocPoint(1, 1, 0.1), model.roc().get(5));
  }

  @Test
  void aFolderWithoutImagesCsvIsNamedInTheError() throws IOException {
    Path empty = Files.createDirectories(temp.resolve("half"));
    Files.writeString(empty.resolve("summary.csv"), "metric,value\n");
    IOException error = assertThrows(IOException.class, () -> service.read(empty));
    assertTrue(error.getMessage().contains("images.csv"), error.getMessage());
  }

  @Test
  void writesOneReportForSeveralFoldersWithUniqueNames() throws IOException {
    Path a = evaluation("x/eval");
    Path b = evaluation("y/eval");
    Path report = service.write(List.of(a, b), null, temp.resolve("out"));
    assertEquals(temp.resolve("out/report.html"), report);
    List<String> summary = Files.readAllLines(temp.resolve("out/summary.csv"));
    assertEquals(3, summary.size(), "header and two models");
    assertTrue(summary.get(1).startsWith("eval,") && summary.get(2).startsWith("eval-2,"), summary.toString());
    assertTrue(Files.readString(report).contains("eval-2"));
    assertThrows(IOException.class, () -> service.write(List.of(), null, temp.resolve("none")));
  }
}
