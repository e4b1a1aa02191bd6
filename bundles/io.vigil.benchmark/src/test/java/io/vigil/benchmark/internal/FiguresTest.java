package io.vigil.benchmark.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class FiguresTest {

  @Test
  void medianOfOddAndEvenCounts() {
    assertEquals(3.0, Figures.median(new double[] {9, 1, 3}));
    assertEquals(2.5, Figures.median(new double[] {4, 1, 2, 3}));
  }

  @Test
  void theSummaryLineDerivesAchievedRateAndFraction() {
    // 0.5 GFLOP per image at 40 images/s is 20 GFLOP/s, a tenth of 200.
    assertEquals("benchmark: images_per_second=40.00 ms_per_image=25.00 model_gflop=0.500 achieved_gflops=20.00"
        + " gemm_gflops=200.00 fraction=0.100", Figures.summaryLine(40, 25, 0.5, 200));
    assertEquals(2.0, Figures.gflops(2e9, 1000));
  }

  @Test
  void cpuNamesTheModelAndTheVectorFlagsOfTheFirstProcessor() {
    List<String> cpuinfo = List.of("processor\t: 0", "model name\t: AMD EPYC", "flags\t\t: fpu sse4_2 avx avx2 fma sha_ni",
        "", "processor\t: 1", "model name\t: Other", "flags\t\t: avx512f");
    assertEquals("AMD EPYC, SIMD sse4_2 avx avx2 fma", Figures.cpu(cpuinfo));
  }
}
