package io.vigil.detector.common.calibration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class HeldOutCalibrationTest {

  @Test
  void calibrationUsesTheMedianSpreadAndQuantileOfHeldOutScores() {
    var calibration = HeldOutCalibration.calibrate(List.of(1.0, 2.0, 3.0, 4.0, 10.0), 0.75);
    assertEquals(3.0, calibration.location(), 1e-12);
    assertEquals(Math.sqrt(12.5), calibration.scale(), 1e-12); // sample std of 1,2,3,4,10 (mean 4)
    assertEquals(4.0, calibration.threshold(), 1e-12); // position 0.75 * 4 = 3 -> 4.0
  }

  @Test
  void theHeldOutShareIsDisjointFromTrainingAndTheSameForTheSameSeed() {
    List<Integer> items = IntStream.range(0, 50).boxed().toList();
    HeldOutSplit<Integer> split = HeldOutSplit.of(items, 0.1, new Random(3));
    assertEquals(5, split.heldOut().size());
    assertEquals(45, split.training().size());
    Set<Integer> all = new HashSet<>(split.training());
    all.addAll(split.heldOut());
    assertEquals(50, all.size(), "every item in exactly one part");
    assertEquals(split, HeldOutSplit.of(items, 0.1, new Random(3)));
    List<Integer> other = new ArrayList<>(HeldOutSplit.of(items, 0.1, new Random(4)).heldOut());
    assertTrue(!other.equals(split.heldOut()), "another seed holds out other items");
    assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.of(List.of(1), 0.1, new Random(0)));
  }
}
