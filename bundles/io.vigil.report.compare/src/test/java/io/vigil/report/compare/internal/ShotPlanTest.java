package io.vigil.report.compare.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ShotPlanTest {
  @Test
  void theValidationImagesAreNeverTrainedOnAndLargerCountsContainSmallerOnes() {
    for (int seed = 1; seed <= 5; seed++) {
      ShotPlan plan = ShotPlan.of(40, 6, List.of("2", "5", "10", "all"), seed);
      Set<Integer> heldOut = new HashSet<>(plan.heldOut());
      assertEquals(6, heldOut.size());
      List<ShotPlan.Run> runs = plan.runs();
      assertEquals(List.of(2, 5, 10, 34), runs.stream().map(r -> r.images().size()).toList());
      assertEquals("all (34)", runs.get(3).label());
      for (ShotPlan.Run run : runs) {
        assertTrue(run.images().stream().noneMatch(heldOut::contains), "seed " + seed + ": trained on a held-out image");
        assertEquals(run.images().size(), new HashSet<>(run.images()).size(), "no image twice");
      }
      for (int r = 1; r < runs.size(); r++) {
        assertEquals(runs.get(r - 1).images(), runs.get(r).images().subList(0, runs.get(r - 1).images().size()));
      }
    }
  }

  @Test
  void theSeedDecidesAndTheSameSeedGivesTheSamePlan() {
    assertEquals(ShotPlan.of(40, 6, List.of("5"), 3), ShotPlan.of(40, 6, List.of("5"), 3));
    assertNotEquals(ShotPlan.of(40, 6, List.of("5"), 3).heldOut(), ShotPlan.of(40, 6, List.of("5"), 4).heldOut());
  }

  @Test
  void countsBeyondWhatIsLeftRunOnceAndImpossibleHoldOutsAreRefused() {
    ShotPlan plan = ShotPlan.of(10, 4, List.of("5", "50", "all"), 1);
    assertEquals(List.of(5, 6), plan.runs().stream().map(r -> r.images().size()).toList());
    assertThrows(IllegalArgumentException.class, () -> ShotPlan.of(10, 10, List.of("2"), 1));
    assertThrows(IllegalArgumentException.class, () -> ShotPlan.of(10, 2, List.of("0"), 1));
  }

  @Test
  void thePageChartsMeanAndSpreadPerCountWithTheSeedsCounted(@TempDir Path temp) throws Exception {
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"patchcore", "2", "2", "1", "4", "0.700000", "0.800000", "", "", "1.0"});
    rows.add(new String[] {"patchcore", "2", "2", "2", "4", "0.900000", "0.850000", "", "", "1.0"});
    rows.add(new String[] {"patchcore", "8", "all (8)", "1", "4", "0.950000", "0.900000", "", "", "2.0"});
    Path page = ShotsPage.write("patchcore", temp, rows, temp.resolve("curve.html"), "Good training images", true);
    String html = Files.readString(page);
    assertTrue(html.contains("<svg"), "the chart is inline SVG");
    assertTrue(html.contains("<td>0.8000 (0.7000-0.9000)</td>"), "mean and spread of the two seeds at 2 images");
    assertTrue(html.contains("<td>2</td></tr>") && html.contains("<td>1</td></tr>"), "seeds per count");
  }
}
