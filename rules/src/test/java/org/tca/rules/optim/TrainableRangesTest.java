package org.tca.rules.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Construction and queries of {@link TrainableRanges}. */
class TrainableRangesTest {

  @Test
  void sortsDropsEmptyAndAnswersQueries() {
    TrainableRanges r = TrainableRanges.of(20, 5, 0, 10, 15, 0);
    assertEquals(2, r.count());
    assertEquals(0, r.offset(0));
    assertEquals(10, r.length(0));
    assertEquals(20, r.offset(1));
    assertEquals(15, r.total());
    assertEquals(25, r.end());
    assertTrue(r.contains(0));
    assertTrue(r.contains(9));
    assertFalse(r.contains(10));
    assertFalse(r.contains(19));
    assertTrue(r.contains(24));
    assertFalse(r.contains(25));
    r.checkWithin(25);
    assertThrows(IllegalArgumentException.class, () -> r.checkWithin(24));
    assertEquals("TrainableRanges[[0, 10), [20, 25)]", r.toString());
    assertEquals(0, TrainableRanges.all(0).count());
  }

  @Test
  void rejectsOverlapsAndBadPairs() {
    assertThrows(IllegalArgumentException.class, () -> TrainableRanges.of(0, 10, 9, 2));
    assertThrows(IllegalArgumentException.class, () -> TrainableRanges.of(0, 10, 5));
    assertThrows(IllegalArgumentException.class, () -> TrainableRanges.of(-1, 3));
    assertThrows(IllegalArgumentException.class, () -> TrainableRanges.of(0, -3));
    TrainableRanges.of(0, 10, 10, 2); // adjacent is fine
  }
}
