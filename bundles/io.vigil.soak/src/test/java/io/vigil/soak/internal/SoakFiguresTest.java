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
  void residentMemoryIsReadOnceItStopsFalling() {
    // As after a collection: unchanged at first (the uncommitting thread has not run), then falling, then level.
    double[] reads = {500, 500, 470, 420, 410, 409.8, 409.9, 300};
    int[] next = {0};
    int[] pauses = {0};
    double value = ProcessProbe.settled(() -> reads[next[0]++], () -> pauses[0]++, 3, 30, 0.5);
    assertEquals(409.8, value, 1e-9, "the first read no more than 0.5 MB below the one before, after at least 3");
    assertEquals(5, pauses[0]);
    next[0] = 0;
    assertEquals(470, ProcessProbe.settled(() -> reads[next[0]++], () -> {}, 3, 3, 0.5), 1e-9, "at most 3 reads");
    assertTrue(Double.isNaN(ProcessProbe.settled(() -> Double.NaN, () -> {}, 3, 30, 0.5)), "no /proc: NaN, no wait");
  }

  @Test
  void quartersGiveEachQuarterLowestAndHighest() {
    List<Sample> samples = new java.util.ArrayList<>();
    double[] rss = {410, 480, 411, 412, 490, 413, 414, 415, 485, 416};
    for (int i = 0; i < rss.length; i++) {
      samples.add(new Sample(i, 1000L * i, 100, 15, 60, rss[i], 500, 30, 0, 0, 0));
    }
    List<Quarters.Range> quarters = Quarters.of(samples, Sample::residentMegabytes);
    assertEquals(List.of(new Quarters.Range(0, 1000, 410, 480), new Quarters.Range(2000, 4000, 411, 490),
        new Quarters.Range(5000, 6000, 413, 414), new Quarters.Range(7000, 9000, 415, 485)), quarters);
    assertEquals("410.0-480.0, 411.0-490.0, 413.0-414.0, 415.0-485.0", Quarters.describe(quarters));
    assertEquals(2, Quarters.of(samples.subList(0, 2), Sample::residentMegabytes).size());
  }

  @Test
  void samplesGoToCsvAndChart(@TempDir Path temp) throws Exception {
    try (SoakLog log = new SoakLog(temp.resolve("soak.csv"))) {
      for (int i = 0; i < 5; i++) {
        log.add(new Sample(10 * i, 1000L * i, 100, 40 + i, 60, 500, 1200, 30, i, i / 2, 0));
      }
      SoakChart.write(log.samples(), "test", temp, "soak");
    }
    List<String> lines = Files.readAllLines(temp.resolve("soak.csv"));
    assertEquals(6, lines.size());
    assertEquals(String.join(",", SoakLog.HEADER), lines.get(0));
    assertEquals("40.0,4000,100.0,44.0,60.0,500.0,1200,30,4,2,0", lines.get(5));
    assertEquals(760, javax.imageio.ImageIO.read(temp.resolve("soak.png").toFile()).getWidth());
    String svg = Files.readString(temp.resolve("soak.svg"));
    assertTrue(svg.startsWith("<?xml") && svg.contains("<svg") && svg.contains("</svg>"), svg.substring(0, 200));
  }
}
