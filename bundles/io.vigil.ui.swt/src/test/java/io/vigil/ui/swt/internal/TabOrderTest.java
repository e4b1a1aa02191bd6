package io.vigil.ui.swt.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vigil.ui.swt.internal.ViewTabs.SortKey;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TabOrderTest {

  @Test
  void tabsSortByOrderThenTitleThenRegistration() {
    List<SortKey> keys = new ArrayList<>(List.of(
        new SortKey(1000, "zeta", 5, "z"),
        new SortKey(10, "Live", 9, "live"),
        new SortKey(1000, "Alpha", 7, "a"),
        new SortKey(20, "Station", 3, "station"),
        new SortKey(1000, "alpha", 2, "a2")));
    keys.sort(SortKey.ORDER);
    assertEquals(List.of("live", "station", "a2", "a", "z"), keys.stream().map(SortKey::id).toList());
  }
}
