package org.tca.rules.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Schedule values at and around their boundaries. */
class LearningRateScheduleTest {

  @Test
  void constant() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.01);
    assertEquals(0.01, s.rate(0));
    assertEquals(0.01, s.rate(1_000_000));
  }

  @Test
  void stepDecayChangesExactlyAtMultiplesOfThePeriod() {
    LearningRateSchedule s = LearningRateSchedule.stepDecay(0.1, 0.5, 100);
    assertEquals(0.1, s.rate(0));
    assertEquals(0.1, s.rate(99));
    assertEquals(0.05, s.rate(100));
    assertEquals(0.05, s.rate(199));
    assertEquals(0.025, s.rate(200));
    assertEquals(0.1 * Math.pow(0.5, 10), s.rate(1000));
  }

  @Test
  void multiplyFromAppliesFromTheGivenIterationInclusive() {
    LearningRateSchedule s = LearningRateSchedule.constant(0.01).multipliedFrom(8000, 3);
    assertEquals(0.01, s.rate(7999));
    assertEquals(0.03, s.rate(8000), 1e-18);
    assertEquals(0.03, s.rate(20000), 1e-18);
  }

  @Test
  void composes() {
    LearningRateSchedule s = LearningRateSchedule.stepDecay(0.2, 0.5, 100)
        .multipliedFrom(150, 2).multipliedFrom(250, 0.25);
    assertEquals(0.2, s.rate(0));
    assertEquals(0.1, s.rate(149));
    assertEquals(0.2, s.rate(150));
    assertEquals(0.1, s.rate(200));
    assertEquals(0.1 * 0.25, s.rate(250), 1e-18);
    assertEquals(0.025 * 2 * 0.25, s.rate(300), 1e-18);
    assertEquals("stepDecay(0.2, gamma=0.5, every=100).multipliedFrom(150, 2.0)"
        + ".multipliedFrom(250, 0.25)", s.toString());
  }

  @Test
  void rejectsBadValues() {
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(-1));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.constant(Double.NaN));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(1, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> LearningRateSchedule.stepDecay(1, 0.5, 0));
    assertThrows(IllegalArgumentException.class,
        () -> LearningRateSchedule.constant(1).multipliedFrom(-1, 2));
    assertThrows(IllegalArgumentException.class,
        () -> LearningRateSchedule.stepDecay(1, 0.5, 10).rate(-1));
  }
}
