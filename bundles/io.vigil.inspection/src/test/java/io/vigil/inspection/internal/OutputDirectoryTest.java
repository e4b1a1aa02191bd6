package io.vigil.inspection.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a run killed half way (kill -9, a power cut) leaves beside a report, and how the next run deals with it. */
class OutputDirectoryTest {
  @TempDir Path temp;

  @Test
  void theNextRunRemovesADeadRunsWorkingDirectoryAndPutsBackTheReportItHadMovedAside() throws Exception {
    long dead = deadProcess();
    long alive = ProcessHandle.current().pid();
    // Killed between moving the old report aside and moving the new one in: report/ is missing.
    Path old = Files.createDirectories(temp.resolve(".report.old-" + dead + "-a1"));
    Files.writeString(old.resolve("summary.csv"), "metric,value\n");
    Files.createDirectories(temp.resolve(".report.partial-" + dead + "-b2"));
    Files.createDirectories(temp.resolve(".report.partial-" + alive + "-c3")); // a run still going
    Files.createDirectories(temp.resolve(".other.partial-" + dead + "-d4")); // another report's

    try (OutputDirectory output = OutputDirectory.create(temp.resolve("report"), true)) {
      assertEquals("metric,value\n", Files.readString(temp.resolve("report/summary.csv")), "the previous report is back");
      assertEquals(java.util.Set.of(".other.partial-" + dead + "-d4", ".report.partial-" + alive + "-c3",
          output.working().getFileName().toString(), "report"), java.util.Set.copyOf(list()));
    }
  }

  private List<String> list() throws Exception {
    try (Stream<Path> entries = Files.list(temp)) {
      return entries.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static long deadProcess() throws Exception {
    Process process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-version")
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    process.waitFor();
    return process.pid();
  }
}
