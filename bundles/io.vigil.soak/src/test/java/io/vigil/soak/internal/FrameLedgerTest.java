package io.vigil.soak.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FrameLedgerTest {

  @Test
  void framesInOrderOnceEachAreClean() {
    FrameLedger ledger = new FrameLedger();
    for (int i = 0; i < 1000; i++) {
      ledger.record(i, i % 100 == 0);
    }
    assertEquals(1000, ledger.results());
    assertEquals(10, ledger.errors());
    assertEquals(0, ledger.lost(1000));
    assertEquals(0, ledger.duplicated());
    assertEquals(0, ledger.outOfOrder());
  }

  @Test
  void aMissingFrameIsLostARepeatedOneDuplicatedAnEarlierOneOutOfOrder() {
    FrameLedger ledger = new FrameLedger();
    for (long number : new long[] {0, 1, 3, 2, 4, 4, 6}) {
      ledger.record(number, false);
    }
    assertEquals(7, ledger.results());
    assertEquals(1, ledger.duplicated(), "4 twice");
    assertEquals(1, ledger.outOfOrder(), "2 after 3");
    assertEquals(1, ledger.lost(7), "5 never came");
    assertEquals(3, ledger.lost(9), "5, 7 and 8 never came");
  }

  @Test
  void soakFrameNumbersAreReadFromTheirIdsOnly() {
    assertEquals(42, SyntheticSource.number("soak-42"));
    assertEquals(-1, SyntheticSource.number("camera-42"));
    assertEquals(-1, SyntheticSource.number("soak-x"));
    assertEquals(-1, SyntheticSource.number(null));
  }
}
