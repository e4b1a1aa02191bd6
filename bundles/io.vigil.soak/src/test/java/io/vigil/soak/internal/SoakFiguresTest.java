package io.vigil.soak.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SoakFiguresTest {

  @Test
  void slopeIsTheLeastSquaresGrowthAndIgnoresMissingValues() {
    double[] x = {0, 1, 2, 3, 4};
    assertEquals(2.0, Slope.of(x, new double[] {1, 3, 5, 7, 9}), 1e-12);
    assertEquals(0.0, Slope.of(x, new double[] {5, 6, 5, 6, 5.5}) , 0.2);
    assertEquals(-1.0, Slope.of(x, new double[] {4, Double.NaN, 2, 1, 0}), 1e-12);
    assertTrue(Double.isNaN(Slope.of(new double[] {1}, new double[] {1})));
  }

  @Test
  void residentMemoryIsReadFromProcStatus() {
    assertEquals(523_456, ProcessProbe.residentKilobytes(List.of("Name:\tjava", "VmPeak:\t 9999 kB",
        "VmRSS:\t  523456 kB", "Threads:\t40")));
    assertTrue(new ProcessProbe().residentMegabytes() > 1, "this JVM's own VmRSS");
  }

  @Test
  void samplesGoToCsvAndChart(@TempDir Path temp) throws Exception {
    try (SoakLog log = new SoakLog(temp.resolve("soak.csv"))) {
      for (int i = 0; i < 5; i++) {
        log.add(new Sample(10 * i, 1000L * i, 100, 40 + i, 500, 1200, 30, i, i / 2, 0));
      }
      SoakChart.write(log.samples(), "test", temp, "soak");
    }
    List<String> lines = Files.readAllLines(temp.resolve("soak.csv"));
    assertEquals(6, lines.size());
    assertEquals(String.join(",", SoakLog.HEADER), lines.get(0));
    assertEquals("40.0,4000,100.0,44.0,500.0,1200,30,4,2,0", lines.get(5));
    assertEquals(760, javax.imageio.ImageIO.read(temp.resolve("soak.png").toFile()).getWidth());
    String svg = Files.readString(temp.resolve("soak.svg"));
    assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("</svg>"), svg.substring(0, 200));
  }
}
