package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * {@link WelchResult#test} against a hand computation and scipy 1.17
 * ({@code ttest_ind(a, b, equal_var=False)}).
 */
class WelchResultTest {

  @Test
  void matchesAHandComputedCase() {
    // a = {1,2,3,4}: mean 2.5, var 5/3; b = {2,4,6}: mean 4, var 4.
    // se^2 = 5/12 + 4/3 = 1.75, t = -1.5/sqrt(1.75); df = 1.75^2 / ((5/12)^2/3 + (4/3)^2/2).
    WelchResult w = WelchResult.test(new double[] {1, 2, 3, 4}, new double[] {2, 4, 6});
    assertEquals(-1.5 / Math.sqrt(1.75), w.t(), 1e-14);
    assertEquals(1.75 * 1.75 / ((25.0 / 144) / 3 + (16.0 / 9) / 2), w.df(), 1e-12);
    assertEquals(0.33382370007750106, w.p(), 1e-10); // scipy
  }

  @Test
  void matchesScipy() {
    WelchResult w = WelchResult.test(new double[] {0.3, 1.7, 2.2, 5.1, 0.9},
        new double[] {4.4, 3.9, 6.1});
    assertEquals(-2.590740452115102, w.t(), 1e-13);
    assertEquals(5.9126669072536995, w.df(), 1e-12);
    assertEquals(0.04172453271244538, w.p(), 1e-11);
  }

  @Test
  void isUndefinedWithFewerThanTwoValuesOrNoVariance() {
    assertEquals(WelchResult.UNDEFINED, WelchResult.test(new double[] {1}, new double[] {2, 3}));
    assertEquals(WelchResult.UNDEFINED, WelchResult.test(new double[] {1, 1}, new double[] {2, 2}));
    assertEquals(Double.NaN, WelchResult.UNDEFINED.p());
  }
}
