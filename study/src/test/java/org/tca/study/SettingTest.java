package org.tca.study;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Setting ids and labels: short, and valid ids for every positive finite rate. */
class SettingTest {

  @Test
  void idsKeepTheirFormBelow1e4AndDropThePlusAbove() {
    assertEquals("lr0.1", Setting.constant(0.1).id());
    assertEquals("lr0.03", Setting.constant(0.03).id());
    assertEquals("lr1e-04", Setting.constant(1e-4).id());
    assertEquals("lr2500", Setting.constant(2500).id());
    assertEquals("lr1e4", Setting.constant(10000).id());
    assertEquals("lr1e4", Setting.constant(9999.7).id());
    assertEquals("lr1.235e4", Setting.constant(12345.6).id());
    assertEquals("lr1e300", Setting.constant(1e300).id());
    assertEquals("η = 1e4", Setting.constant(1e4).label());
    assertEquals("lr1e5-x4-from0.75", Setting.of(1e5, 0.75, 4, List.of()).id());
  }

  @Test
  void everyRateGivesAValidId() {
    for (int k = -12; k <= 307; k++) {
      for (double m : new double[] {1, 2.5, 9.9999}) {
        double lr = m * Math.pow(10, k);
        String id = Setting.constant(lr).id(); // the constructor validates the id
        assertTrue(id.matches("[A-Za-z0-9.\\-]+"), lr + " -> " + id);
      }
    }
  }
}
