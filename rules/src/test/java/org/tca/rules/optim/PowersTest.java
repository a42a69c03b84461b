package org.tca.rules.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;

/** Integer powers against exact (BigDecimal) values, within the documented bound. */
class PowersTest {

  private static final double U = Math.ulp(1.0) / 2;

  @Test
  void matchesExactPowersWithinGammaKMinusOne() {
    double[] bases = {0.9, 0.999, 0.5, 1.7, -0.3, 0.95};
    long[] exps = {0, 1, 2, 3, 7, 8, 100, 1000, 12345};
    for (double x : bases) {
      for (long k : exps) {
        double exact = new BigDecimal(x).pow((int) k, MathContext.DECIMAL128).doubleValue();
        double got = Powers.integerPower(x, k);
        double n = Math.max(0, k - 1); // gamma_{k-1}
        assertEquals(exact, got, Math.abs(exact) * n * U / (1 - n * U) + Double.MIN_VALUE,
            x + "^" + k);
      }
    }
    assertEquals(1.0, Powers.integerPower(0.0, 0));
    assertEquals(0.0, Powers.integerPower(0.5, 5000));
    assertThrows(IllegalArgumentException.class, () -> Powers.integerPower(2, -1));
  }
}
