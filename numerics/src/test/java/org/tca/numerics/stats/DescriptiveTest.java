package org.tca.numerics.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.tca.numerics.stats.ErrorBounds.U;
import static org.tca.numerics.stats.ErrorBounds.assertClose;

import org.junit.jupiter.api.Test;
import org.tca.numerics.random.RandomStream;

/** {@link Descriptive} on hand-checkable samples and numpy.quantile (default "linear") values. */
class DescriptiveTest {

  private static final double[] TEXTBOOK = {2, 4, 4, 4, 5, 5, 7, 9};

  @Test
  void textbookSample() {
    assertEquals(5.0, Descriptive.mean(TEXTBOOK));
    // sum of squared deviations 32: variance 32/7
    assertClose(32.0 / 7, Descriptive.variance(TEXTBOOK), 4 * U * 32 / 7, "variance");
    assertClose(Math.sqrt(32.0 / 7), Descriptive.standardDeviation(TEXTBOOK), 4 * U * 2.2, "sd");
    assertEquals(4.5, Descriptive.median(TEXTBOOK));
    assertEquals(2.0, Descriptive.min(TEXTBOOK));
    assertEquals(9.0, Descriptive.max(TEXTBOOK));
  }

  @Test
  void largeOffsetDoesNotCancel() {
    // Welford's classic: 4, 7, 13, 16 shifted by 1e9 has variance 30 exactly.
    double[] x = {1e9 + 4, 1e9 + 7, 1e9 + 13, 1e9 + 16};
    assertEquals(1e9 + 10, Descriptive.mean(x));
    assertEquals(30.0, Descriptive.variance(x));
    double[] big = {1e308, 1e308, 1e308};
    assertEquals(1e308, Descriptive.mean(big));
  }

  /** Reference: numpy.quantile(x, p) (method "linear", Hyndman-Fan type 7). */
  @Test
  void quantilesMatchNumpy() {
    double[] ps = {0, 0.1, 0.25, 0.33, 0.5, 0.9, 1};
    double[] numpy = {2.0, 3.4000000000000004, 4.0, 4.0, 4.5, 7.6, 9.0};
    assertArrayEquals(numpy, Descriptive.quantiles(TEXTBOOK, ps));
    double[] x = {3.5, -1.25, 10.0, 7.75, 0.5};
    double[] ps2 = {0.05, 0.3, 0.5, 0.77, 0.99};
    double[] numpy2 = {-0.8999999999999999, 1.0999999999999999, 3.5, 7.93, 9.91};
    for (int i = 0; i < ps2.length; i++) {
      // same formula as numpy, so equal up to the rounding of (n - 1) p
      assertClose(numpy2[i], Descriptive.quantile(x, ps2[i]), 4 * U * 10, "q" + ps2[i]);
    }
    assertEquals(7.0, Descriptive.quantile(new double[] {7}, 0.3));
    assertEquals(2.5, Descriptive.median(new double[] {4, 1, 3, 2}));
    assertEquals(Double.POSITIVE_INFINITY,
        Descriptive.quantile(new double[] {1, Double.POSITIVE_INFINITY}, 1));
  }

  /** Type 7 is an interpolation of the order statistics: monotone in p, exact at (k/(n-1)). */
  @Test
  void quantileIsMonotoneAndHitsOrderStatistics() {
    double[] x = new double[101];
    new RandomStream(3).fillNormal(x, 0, x.length, 0.0, 1.0);
    double[] sorted = x.clone();
    java.util.Arrays.sort(sorted);
    double previous = Double.NEGATIVE_INFINITY;
    for (int k = 0; k <= 1000; k++) {
      double q = Descriptive.quantile(x, k / 1000.0);
      assertTrue(q >= previous, "monotone at " + k);
      previous = q;
    }
    // h = 100 fl(k / 100) is k up to a relative rounding 2u, which moves Q by <= 2u h |gap|.
    for (int k = 0; k <= 100; k++) {
      double gap = k < 100 ? sorted[k + 1] - sorted[k] : 0;
      assertClose(sorted[k], Descriptive.quantile(x, k / 100.0), 2 * U * k * gap + U * 4,
          "order statistic " + k);
    }
  }

  @Test
  void nanPropagatesAndInputIsNotModified() {
    double[] x = {3, Double.NaN, 1};
    double[] copy = x.clone();
    assertEquals(Double.NaN, Descriptive.mean(x));
    assertEquals(Double.NaN, Descriptive.variance(x));
    assertEquals(Double.NaN, Descriptive.median(x));
    assertEquals(Double.NaN, Descriptive.min(x));
    assertEquals(Double.NaN, Descriptive.max(x));
    assertArrayEquals(new double[] {Double.NaN, Double.NaN}, Descriptive.quantiles(x, 0.1, 0.9));
    assertArrayEquals(copy, x);
    double[] y = {3, 1, 2};
    Descriptive.median(y);
    assertArrayEquals(new double[] {3, 1, 2}, y);
    assertEquals(Double.POSITIVE_INFINITY,
        Descriptive.mean(new double[] {1, Double.POSITIVE_INFINITY}));
    assertEquals(Double.NaN, Descriptive.variance(new double[] {1, Double.POSITIVE_INFINITY}));
  }

  @Test
  void clearExceptions() {
    double[] empty = {};
    assertThrows(IllegalArgumentException.class, () -> Descriptive.mean(empty));
    assertThrows(IllegalArgumentException.class, () -> Descriptive.median(empty));
    assertThrows(IllegalArgumentException.class, () -> Descriptive.min(empty));
    assertThrows(IllegalArgumentException.class, () -> Descriptive.variance(new double[] {1}));
    assertThrows(IllegalArgumentException.class, () -> Descriptive.quantile(TEXTBOOK, 1.01));
    assertThrows(IllegalArgumentException.class, () -> Descriptive.quantile(TEXTBOOK, Double.NaN));
  }
}
