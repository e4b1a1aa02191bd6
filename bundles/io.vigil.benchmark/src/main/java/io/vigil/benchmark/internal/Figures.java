package io.vigil.benchmark.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The arithmetic and the machine facts of a benchmark run: medians, rates, CPU flags, the final line. */
final class Figures {
  /** The flags that decide how fast float32 convolutions and matrix products can go. */
  static final List<String> SIMD_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw", "avx512vl",
      "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8");

  private Figures() {}

  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }

  /** GFLOP/s of {@code flops} operations done in {@code millis}. */
  static double gflops(double flops, double millis) {
    return flops / millis / 1e6;
  }

  /** The line scripts read; NaN where a figure is unknown (a detector that does not describe its layers). */
  static String summaryLine(double imagesPerSecond, double msPerImage, double modelGflop, double gemmGflops) {
    double achieved = modelGflop * imagesPerSecond;
    return String.format(Locale.ROOT,
        "benchmark: images_per_second=%.2f ms_per_image=%.2f model_gflop=%.3f achieved_gflops=%.2f gemm_gflops=%.2f"
            + " fraction=%.3f",
        imagesPerSecond, msPerImage, modelGflop, achieved, gemmGflops, achieved / gemmGflops);
  }

  /** "model name, SIMD flags" from /proc/cpuinfo's first processor. */
  static String cpu(List<String> cpuinfo) {
    String model = "unknown CPU";
    List<String> simd = new ArrayList<>();
    for (String line : cpuinfo) {
      int colon = line.indexOf(':');
      if (colon < 0) {
        if (line.isBlank() && !simd.isEmpty()) {
          break;
        }
        continue;
      }
      String key = line.substring(0, colon).trim();
      String value = line.substring(colon + 1).trim();
      if (key.equals("model name")) {
        model = value;
      } else if (key.equals("flags") && simd.isEmpty()) {
        Set<String> flags = Set.of(value.split("\\s+"));
        SIMD_FLAGS.stream().filter(flags::contains).forEach(simd::add);
      }
    }
    return model + ", SIMD " + (simd.isEmpty() ? "unknown" : String.join(" ", simd));
  }

  static String cpu() {
    try {
      return cpu(Files.readAllLines(Path.of("/proc/cpuinfo")));
    } catch (IOException | RuntimeException e) {
      return System.getProperty("os.arch") + " (no /proc/cpuinfo)";
    }
  }

  /** The 1-minute load average: other work on the machine skews every figure. */
  static String load() {
    try {
      return Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0];
    } catch (IOException | RuntimeException e) {
      return "unknown";
    }
  }
}
